import Foundation
import TestSupport

/// A real Alertmanager (Debian's `prometheus-alertmanager`) on 127.0.0.1, started for one
/// test with a single webhook receiver, grouping by alertname with short timers.
final class RealAlertmanager {
    static let binary = "/usr/bin/prometheus-alertmanager"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let port = Ports.free()
    private let process = Process()
    private let directory: URL

    /// Starts it and waits until `/-/ready` answers; its webhook POSTs to `webhookURL`.
    init(webhookURL: String) async throws {
        directory = try TestPaths.temporaryDirectory("khm-alertmanager")
        let config = """
            route:
              receiver: test
              group_by: [alertname]
              group_wait: 100ms
              group_interval: 500ms
              repeat_interval: 1h
            receivers:
              - name: test
                webhook_configs:
                  - url: \(webhookURL)
                    send_resolved: true
            """
        let configFile = directory.appendingPathComponent("alertmanager.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--config.file=\(configFile.path)", "--storage.path=\(directory.path)",
                             "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address="]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: {
            let log = directory.appendingPathComponent("alertmanager.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            return log
        }())
        try process.run()
        let ready = try await HTTP.eventually(timeout: 15) {
            try await HTTP.request("GET", "\(self.url)/-/ready", timeout: 1).status == 200
        }
        guard ready else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "Alertmanager did not start"]) }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// `GET /api/v2/alerts`: the alerts Alertmanager holds as active.
    func alerts() async throws -> [[String: Any]] {
        let response = try await HTTP.request("GET", "\(url)/api/v2/alerts", timeout: 5)
        return (try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [[String: Any]]) ?? []
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Every key path of a JSON value: `alerts[].labels.alertname`, …, for comparing shapes.
func keyPaths(_ value: Any, _ prefix: String = "") -> Set<String> {
    if let object = value as? [String: Any] {
        return object.reduce(into: Set<String>()) { paths, pair in
            let path = prefix.isEmpty ? pair.key : "\(prefix).\(pair.key)"
            paths.insert(path)
            paths.formUnion(keyPaths(pair.value, path))
        }
    }
    if let array = value as? [Any] {
        return array.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1, prefix + "[]")) }
    }
    return []
}
