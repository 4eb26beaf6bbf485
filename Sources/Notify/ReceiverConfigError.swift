/// A receiver setting that makes no sense, named by receiver and field.
///
/// `description` reads `receivers[0] "oncall": group_wait: …`; it never contains a secret.
public struct ReceiverConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Position of the receiver in the `receivers:` list.
    public let index: Int
    /// The receiver's name (empty if it has none).
    public let receiver: String
    /// The offending field, as written in the config file.
    public let field: String
    /// What is wrong.
    public let message: String

    public var description: String { "receivers[\(index)] \"\(receiver)\": \(field): \(message)" }
}

/// Every problem found in a `receivers:` list, not only the first.
public struct ReceiverConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in config order.
    public let errors: [ReceiverConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
