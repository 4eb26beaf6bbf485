/// A credential read from the config, a file or the environment.
///
/// Its `description` is always `<secret>`, so logging a config or an error can never print it.
public struct Secret: Sendable, Hashable, Decodable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    /// The credential itself; use only to build a request.
    public let value: String

    /// Wraps `value`.
    public init(_ value: String) { self.value = value }

    /// Decodes from a plain string.
    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    public var description: String { "<secret>" }
    public var debugDescription: String { "<secret>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
