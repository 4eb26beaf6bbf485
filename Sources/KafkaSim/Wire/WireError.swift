/// Why a request frame could not be decoded. Any of these closes the offending connection
/// (and only that one), as a real broker does with a request it cannot parse.
public struct WireError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, for the log.
    public let description: String

    init(_ description: String) { self.description = description }

    static func truncated(_ what: String) -> WireError { WireError("truncated request: \(what)") }
    static func invalid(_ what: String) -> WireError { WireError("invalid request: \(what)") }
}
