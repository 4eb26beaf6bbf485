import Foundation
import Testing
@testable import Notify
import TestSupport

/// A receiver's TLS files must be readable when the config is checked or loaded: libcurl
/// opens them only when it connects, so a wrong path would otherwise surface as nothing but
/// failed deliveries.
@Suite("TLS files in receiver configs")
struct TLSConfigValidationTests {
    /// `tls:` blocks (JSON, `$DIR` = a directory holding readable `ca.pem`, `c.pem`, `k.pem`)
    /// and the problems `validate` reports.
    static let cases: [(tls: String, problems: [String])] = [
        (#"{"ca_file": "$DIR/ca.pem", "cert_file": "$DIR/c.pem", "key_file": "$DIR/k.pem"}"#, []),
        (#"{"insecure_skip_verify": true}"#, []),
        (#"{"ca_file": "$DIR/missing.pem"}"#, [#"receivers[0] "x": tls.ca_file: cannot read $DIR/missing.pem"#]),
        (#"{"ca_file": "$DIR/ca.pem", "cert_file": "$DIR/no-c.pem", "key_file": "$DIR/no-k.pem"}"#,
         [#"receivers[0] "x": tls.cert_file: cannot read $DIR/no-c.pem"#,
          #"receivers[0] "x": tls.key_file: cannot read $DIR/no-k.pem"#]),
        (#"{"cert_file": "$DIR/no-c.pem"}"#, [#"receivers[0] "x": tls: cert_file and key_file must be given together"#]),
    ]

    @Test(arguments: cases)
    func unreadableFilesAreConfigErrors(tls: String, problems: [String]) throws {
        let directory = try TestPaths.temporaryDirectory("khm-tls-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["ca.pem", "c.pem", "k.pem"] {
            try "-----BEGIN CERTIFICATE-----\n".write(to: directory.appendingPathComponent(name), atomically: true,
                                                       encoding: .utf8)
        }
        let json = #"{"name": "x", "type": "webhook", "url": "https://h/hook", "tls": \#(tls)}"#
            .replacingOccurrences(of: "$DIR", with: directory.path)
        let config = try JSONDecoder().decode(ReceiverConfig.self, from: Data(json.utf8))
        #expect(config.problems(index: 0).map(\.description)
            == problems.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) })
    }
}
