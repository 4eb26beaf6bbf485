/// A syntax or type error in a PromQL expression, at a 1-based line and column of the
/// expression's source (columns count UTF-8 bytes, as Prometheus does).
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the error in the expression source.
    public let line: Int
    /// 1-based column (UTF-8 bytes) of the error.
    public let column: Int
    /// What is wrong, in Prometheus's words where it has them.
    public let message: String

    /// An error at `line:column`.
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
