import Foundation

/// One alert as Notify receives it: the integrator converts a rule alert into this value,
/// the way Prometheus's `SendAlerts` turns rule alerts into notifier alerts.
///
/// The same alert (same labels, so same `fingerprint`) is sent again whenever its state
/// changes; an alert with `endsAt` at or before "now" is resolved.
public struct NotifyAlert: Sendable, Hashable {
    /// The identifying labels (`alertname` among them).
    public var labels: [String: String]
    /// Descriptive annotations (`summary`, `description`, …).
    public var annotations: [String: String]
    /// When the alert started firing.
    public var startsAt: Date
    /// When it resolved; `nil` while firing.
    public var endsAt: Date?
    /// A link back to the expression that produced it.
    public var generatorURL: String

    /// An alert with the given fields; `endsAt == nil` means firing.
    public init(labels: [String: String], annotations: [String: String] = [:], startsAt: Date,
                endsAt: Date? = nil, generatorURL: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// Alertmanager's identity of an alert: `model.LabelSet.Fingerprint` (FNV-1a 64 over the
    /// sorted label names and values, each followed by a 0xff byte).
    public var fingerprint: UInt64 { Self.fingerprint(of: labels) }

    /// `fingerprint` as Alertmanager prints it (`%016x`).
    public var fingerprintHex: String { Self.hex(fingerprint) }

    /// An alert's state, as the payloads' `status` fields spell it.
    public enum Status: String, Sendable {
        case firing, resolved
    }

    /// The alert's state at `now`: resolved once `endsAt` is not in the future.
    public func status(at now: Date) -> Status { isResolved(at: now) ? .resolved : .firing }

    /// Whether the alert is resolved at `now` (it has an `endsAt` that is not in the future).
    public func isResolved(at now: Date) -> Bool {
        guard let endsAt else { return false }
        return endsAt <= now
    }

    /// The FNV-1a 64 fingerprint of a label set, as Alertmanager and Prometheus compute it.
    public static func fingerprint(of labels: [String: String]) -> UInt64 {
        var hash = FNV1a64()
        for name in labels.keys.sorted() {
            hash.add(name)
            hash.add(byte: 0xff)
            hash.add(labels[name]!)
            hash.add(byte: 0xff)
        }
        return hash.value
    }

    /// Zero-padded lower-case hex of 16 digits.
    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// The 64-bit FNV-1a hash (Go's `hash/fnv` New64a), used for Alertmanager fingerprints.
struct FNV1a64 {
    private(set) var value: UInt64 = 14_695_981_039_346_656_037

    mutating func add(byte: UInt8) {
        value ^= UInt64(byte)
        value &*= 1_099_511_628_211
    }

    mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte: byte) }
    }
}
