import Foundation
import Testing
@testable import Notify
import TestSupport

/// Receivers' `tls:` settings reach libcurl: delivery to a local HTTPS server with a throwaway
/// CA goes through only when the server's certificate is trusted and names the host (or
/// verification is off), and the server gets a client certificate when the receiver has one.
/// A refused handshake is a transport error: counted as failed and retried, never dropped.
@Suite("TLS delivery through libcurl", .timeLimit(.minutes(1)),
       .enabled(if: TLSMaterial.toolsAvailable,
                "needs the openssl command line (Debian package openssl) and python3 to run an HTTPS server"))
struct TLSDeliveryTests {
    /// Which CA bundle the receiver trusts.
    enum Trust: Sendable {
        /// The test CA, from a copy that is deleted once the receiver runs.
        case testCAThenRemoved
        case testCA, otherCA, systemStore
    }

    /// One receiver/server setup and what must happen.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var trust: Trust
        var insecureSkipVerify = false
        var clientCertificate = false
        var serverRequiresClientCertificate = false
        /// The host in the receiver's URL; the server certificate names only 127.0.0.1.
        var host = "127.0.0.1"
        /// Delivered, or else retried with a logged reason containing `failure`. (Left empty where
        /// the reason depends on timing: TLS 1.3 servers check a client certificate after the
        /// client has finished its handshake, so curl may fail sending or receiving.)
        var delivered: Bool
        var failure = ""
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "ca_file of the CA that signed the server: delivered", trust: .testCA, delivered: true),
        Case(name: "ca_file of another CA: refused, retried", trust: .otherCA, delivered: false,
             failure: "SSL certificate problem: unable to get local issuer certificate"),
        Case(name: "no ca_file (the system's CAs): refused, retried", trust: .systemStore, delivered: false,
             failure: "SSL"),
        Case(name: "ca_file removed after start: retried, the reason names the file", trust: .testCAThenRemoved,
             delivered: false, failure: "error setting certificate file"),
        Case(name: "insecure_skip_verify without a CA: delivered", trust: .systemStore, insecureSkipVerify: true,
             delivered: true),
        Case(name: "right CA but a host the certificate does not name: refused, retried", trust: .testCA,
             host: "localhost", delivered: false,
             failure: "no alternative certificate subject name matches target host name 'localhost'"),
        Case(name: "insecure_skip_verify also skips the host name check: delivered", trust: .otherCA,
             insecureSkipVerify: true, host: "localhost", delivered: true),
        Case(name: "client certificate required and given: delivered with it", trust: .testCA, clientCertificate: true,
             serverRequiresClientCertificate: true, delivered: true),
        Case(name: "client certificate required, none given: refused, retried", trust: .testCA,
             serverRequiresClientCertificate: true, delivered: false),
    ]

    @Test(arguments: cases)
    func delivery(_ tlsCase: Case) async throws {
        let material = try await TLSMaterial.shared()
        let server = try await TLSReceiver(material, requireClientCertificate: tlsCase.serverRequiresClientCertificate)
        var config = webhookReceiver(port: server.port)
        config.url = "https://\(tlsCase.host):\(server.port)/hook"
        let caCopy = material.directory.appendingPathComponent("ca-\(UUID().uuidString).pem").path
        if tlsCase.trust == .testCAThenRemoved { try FileManager.default.copyItem(atPath: material.caFile, toPath: caCopy) }
        config.tls = try Self.settings(tlsCase, material, caCopy: caCopy)
        let harness = try DeliveryHarness([config])  // validates: the files are there
        try? FileManager.default.removeItem(atPath: caCopy)
        await harness.dispatcher.send([firing("BrokerOffline")])

        if tlsCase.delivered {
            let requests = await server.waitFor(1)
            #expect(requests.map(\.path) == ["/hook"])
            #expect(requests.first?.client == (tlsCase.clientCertificate ? TLSMaterial.clientName : nil))
            #expect(await harness.waitForMetrics { $0.latencyCount == 1 && $0.queueLength == 0 })
            #expect(harness.metrics().notificationsFailedTotal == 0)
        } else {
            // At least one retry, the notification still queued, nothing dropped, nothing received.
            #expect(await harness.waitForMetrics { $0.notificationsFailedTotal >= 2 })
            let metrics = harness.metrics()
            #expect(metrics.queueLength == 1 && metrics.notificationsDroppedTotal == 0 && metrics.latencyCount == 0)
            #expect(server.requests().isEmpty)
            // Metrics are updated just before the line is logged.
            var reasons: [String] = []
            for _ in 0..<100 where reasons.count < 2 {
                reasons = harness.logs.all.compactMap(Self.retryReason)
                if reasons.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(reasons.count >= 2)
            #expect(reasons.allSatisfy { tlsCase.failure.isEmpty || $0.contains(tlsCase.failure) }, "\(reasons.first ?? "no retry logged")")
        }
        harness.finish()
        await server.stop()
    }

    /// A reload that takes a TLS setting away must take it away from the receiver's kept
    /// delivery thread (and its reused curl handle): a CA no longer trusted, a client
    /// certificate no longer presented.
    @Test(arguments: [
        Case(name: "ca_file removed on reload: the server is no longer trusted", trust: .testCA, delivered: false),
        Case(name: "client certificate removed on reload: no longer presented", trust: .testCA, clientCertificate: true,
             serverRequiresClientCertificate: true, delivered: false),
    ])
    func reloadTakesTLSSettingsAway(_ tlsCase: Case) async throws {
        let material = try await TLSMaterial.shared()
        let server = try await TLSReceiver(material, requireClientCertificate: tlsCase.serverRequiresClientCertificate)
        var config = webhookReceiver(port: server.port)
        config.url = "https://127.0.0.1:\(server.port)/hook"
        config.tls = try Self.settings(tlsCase, material, caCopy: "")
        let harness = try DeliveryHarness([config])
        await harness.dispatcher.send([firing("BeforeReload")])
        #expect(await server.waitFor(1).count == 1, "delivered before the reload")

        var reduced = tlsCase
        if tlsCase.clientCertificate { reduced.clientCertificate = false } else { reduced.trust = .systemStore }
        config.tls = try Self.settings(reduced, material, caCopy: "")
        #expect(harness.dispatcher.apply(try harness.dispatcher.prepare([config])).changed == ["oncall"])
        await harness.dispatcher.send([firing("AfterReload")])
        #expect(await harness.waitForMetrics { $0.notificationsFailedTotal >= 2 && $0.queueLength == 1 })
        #expect(server.requests().count == 1, "nothing delivered after the reload")
        harness.finish()
        await server.stop()
    }

    /// The reason in a "notification failed, retrying in 0.1s: <reason> attempt=1 …" log line.
    static func retryReason(_ line: String) -> String? {
        guard line.contains("notification failed, retrying in "),
              let start = line.range(of: "s: "), let end = line.range(of: " attempt=") else { return nil }
        return String(line[start.upperBound..<end.lowerBound])
    }

    /// The receiver's `tls:` block as a user writes it (the config's field names).
    static func settings(_ tlsCase: Case, _ material: TLSMaterial, caCopy: String) throws -> ReceiverConfig.TLSSettings {
        var fields: [String: Any] = ["insecure_skip_verify": tlsCase.insecureSkipVerify]
        switch tlsCase.trust {
        case .testCA: fields["ca_file"] = material.caFile
        case .otherCA: fields["ca_file"] = material.otherCAFile
        case .systemStore: break
        case .testCAThenRemoved: fields["ca_file"] = caCopy
        }
        if tlsCase.clientCertificate {
            fields["cert_file"] = material.clientCertFile
            fields["key_file"] = material.clientKeyFile
        }
        return try JSONDecoder().decode(ReceiverConfig.TLSSettings.self,
                                        from: JSONSerialization.data(withJSONObject: fields))
    }
}
