import Foundation
import Synchronization
import TestSupport

/// A throwaway PKI for the TLS delivery tests, made with the `openssl` command line once per
/// test process (EC P-256 keys: a few milliseconds each): a CA, a server certificate it signed
/// for `IP:127.0.0.1` (not for `localhost`), a client certificate it signed, and a second CA
/// that signed neither.
struct TLSMaterial: Sendable {
    let directory: URL

    /// The CA that signed the server and client certificates.
    var caFile: String { path("ca.pem") }
    /// A CA that signed nothing here: trusting it alone must not let the server through.
    var otherCAFile: String { path("other-ca.pem") }
    var serverCertFile: String { path("server.pem") }
    var serverKeyFile: String { path("server.key") }
    var clientCertFile: String { path("client.pem") }
    var clientKeyFile: String { path("client.key") }
    /// The common name of the client certificate.
    static let clientName = "khm-test-client"

    /// The `openssl` executable, if installed (Debian package `openssl`).
    static let openssl = Command.which("openssl")
    /// Debian's python3 (its `ssl` module serves HTTPS), or the first python3 on PATH.
    static let python: String? = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        ? "/usr/bin/python3" : Command.which("python3")
    /// Whether both tools the tests need are there.
    static var toolsAvailable: Bool { openssl != nil && python != nil }

    /// The process's material, made on first use.
    static func shared() async throws -> TLSMaterial { try await cache.get() }

    private static let cache = Cache()

    /// Makes the material once: concurrent first callers share one making.
    private actor Cache {
        private var making: Task<TLSMaterial, any Error>?

        func get() async throws -> TLSMaterial {
            if let making { return try await making.value }
            let task = Task { try await TLSMaterial.make() }
            making = task
            return try await task.value
        }
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Extensions per certificate kind, in a config of our own so that the system's
    /// openssl.cnf (whatever its defaults) plays no part.
    private static let config = """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = unused
        [ca]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash
        [server]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1
        authorityKeyIdentifier = keyid
        [client]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = clientAuth
        authorityKeyIdentifier = keyid
        """

    private static func make() async throws -> TLSMaterial {
        guard let openssl else { throw Failure("openssl is not installed (Debian package openssl)") }
        let material = TLSMaterial(directory: try TestPaths.temporaryDirectory("khm-tls"))
        removeAtExit(material.directory)
        let config = material.path("openssl.cnf")
        try Self.config.write(toFile: config, atomically: true, encoding: .utf8)
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-config", config]
        func run(_ arguments: [String]) async throws {
            let result = try await Command.run(openssl, arguments, currentDirectory: material.directory, timeout: 30)
            guard result.status == 0 else {
                throw Failure("openssl \(arguments.joined(separator: " ")) failed: \(result.stderr)")
            }
        }
        for (name, subject) in [("ca", "khm test CA"), ("other-ca", "khm other CA")] {
            try await run(["req", "-x509"] + newKey + ["-extensions", "ca", "-days", "2", "-subj", "/CN=\(subject)",
                                                     "-keyout", "\(name).key", "-out", "\(name).pem"])
        }
        for (name, subject, serial) in [("server", "127.0.0.1", "2"), ("client", clientName, "3")] {
            try await run(["req", "-new"] + newKey + ["-subj", "/CN=\(subject)", "-keyout", "\(name).key",
                                                    "-out", "\(name).csr"])
            try await run(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                           "-set_serial", serial, "-days", "2", "-extfile", config, "-extensions", name,
                           "-out", "\(name).pem"])
        }
        return material
    }

    /// Removes `directory` when the test process exits (the material lives as long as it).
    private static func removeAtExit(_ directory: URL) {
        materialDirectory.withLock { $0 = directory.path }
        atexit {
            if let path = TLSMaterial.materialDirectory.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    private static let materialDirectory = Mutex<String?>(nil)

    /// Why the material or the server could not be made.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
