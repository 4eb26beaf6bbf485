/// A syntax or type error in a PromQL expression, at a 1-based line and column of the
/// expression's source (columns count UTF-8 bytes, as Prometheus does).
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    init(position: SourcePosition, message: String) {
        self.init(line: position.line, column: position.column, message: message)
    }

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }
}
