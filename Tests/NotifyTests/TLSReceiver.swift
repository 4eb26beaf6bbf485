import Foundation
import TestSupport

/// An HTTPS server on 127.0.0.1 for the TLS delivery tests: python3's `http.server` behind its
/// `ssl` module (nothing in TestSupport speaks TLS), serving `TLSMaterial`'s server
/// certificate, optionally requiring a client certificate signed by its CA. It answers every
/// POST with 200 and records it; a connection whose handshake fails records nothing.
///
/// It binds a port of its own choosing (no window for anyone to take it) and writes it to a
/// file; it exits when its stdin closes: when told to stop, or when the test process dies.
final class TLSReceiver: @unchecked Sendable {
    /// One POST that got through the handshake.
    struct Request: Decodable, Equatable {
        var path: String
        var bytes: Int
        /// The common name of the client certificate, if one was presented.
        var client: String?
    }

    let port: Int
    private let process: Process
    private let stdin = Pipe()
    private let directory: URL

    /// Starts the server and waits (at most 10 s) until it listens.
    init(_ material: TLSMaterial, requireClientCertificate: Bool) async throws {
        guard let python = TLSMaterial.python else { throw TLSMaterial.Failure("python3 is not installed") }
        directory = try TestPaths.temporaryDirectory("khm-https")
        let script = directory.appendingPathComponent("server.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, material.serverCertFile, material.serverKeyFile,
                             requireClientCertificate ? material.caFile : "-", directory.path]
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        let log = directory.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let portFile = directory.appendingPathComponent("port")
        let deadline = Date().addingTimeInterval(10)
        var port: Int?
        while port == nil && Date() < deadline && process.isRunning {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        guard let port else {
            let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            await Self.stop(process, stdin, directory)
            throw TLSMaterial.Failure("the HTTPS test server did not start: \(errors)")
        }
        self.port = port
    }

    /// The POSTs received so far, in order.
    func requests() -> [Request] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("requests.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// Waits until `count` POSTs arrived or `timeout` passed; returns what arrived.
    func waitFor(_ count: Int, timeout: TimeInterval = 10) async -> [Request] {
        let deadline = Date().addingTimeInterval(timeout)
        while requests().count < count && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return requests()
    }

    /// Stops the server and removes its files.
    func stop() async {
        await Self.stop(process, stdin, directory)
    }

    /// Closes the server's stdin, which makes it exit (a signal might not: the child inherits
    /// the spawning thread's signal mask, in which Swift's threads may block SIGTERM), then
    /// kills it if it is still there after 5 s. Polls rather than `waitUntilExit()`, which
    /// spins a run loop on threads other than the main one.
    private static func stop(_ process: Process, _ stdin: Pipe, _ directory: URL) async {
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// argv: certificate, key, client CA (or "-": no client certificate asked), directory.
    private static let script = #"""
        import http.server, json, os, ssl, sys, threading

        cert, key, client_ca, directory = sys.argv[1:5]
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                subject = (self.connection.getpeercert() or {}).get("subject", ())
                client = next((value for rdn in subject for name, value in rdn if name == "commonName"), None)
                with lock, open(os.path.join(directory, "requests.log"), "a") as log:
                    log.write(json.dumps({"path": self.path, "bytes": len(body), "client": client}) + "\n")
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if client_ca != "-":
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
        with open(os.path.join(directory, "port.tmp"), "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
        server.serve_forever()
        """#
}
