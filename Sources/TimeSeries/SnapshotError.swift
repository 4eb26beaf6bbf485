/// Why a snapshot could not be written or read: an I/O failure, or a file that is not a
/// complete, intact snapshot (torn by a crash, truncated, or corrupted on disk).
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case io(operation: String, errno: Int32)
        case notASnapshot
        case unsupportedVersion(UInt32)
        case wrongLength(expected: UInt64, actual: Int)
        case checksumMismatch(stored: UInt32, computed: UInt32)
        case truncated(offset: Int)
        case invalid(String)
    }

    let kind: Kind
    /// The file concerned.
    public let path: String

    init(_ kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// Whether the file exists but is damaged (as opposed to an I/O failure).
    public var isCorruption: Bool {
        if case .io = kind { return false }
        return true
    }

    public var description: String {
        let reason: String
        switch kind {
        case let .io(operation, errno): reason = "\(operation) failed: errno \(errno)"
        case .notASnapshot: reason = "not a snapshot (bad magic)"
        case let .unsupportedVersion(version): reason = "unsupported snapshot version \(version)"
        case let .wrongLength(expected, actual): reason = "torn snapshot: header says \(expected) payload bytes, file has \(actual)"
        case let .checksumMismatch(stored, computed):
            reason = "checksum mismatch: stored \(hex(stored)), computed \(hex(computed))"
        case let .truncated(offset): reason = "truncated record at byte \(offset)"
        case let .invalid(what): reason = what
        }
        return "\(path): \(reason)"
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
