/// A position in a file: 1-based line and column (columns count Unicode scalars, as YAML does).
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public let line: Int
    /// 1-based column, in Unicode scalars.
    public let column: Int

    /// A position from 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One problem a user put in a rule file, rendered `file:line:col: message`.
public struct RuleFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it.
    public let file: String
    /// Where in the file; nil when the problem has no position (an unreadable file).
    public let position: SourcePosition?
    /// What is wrong.
    public let message: String

    /// An error of `file` at `position` (nil: the whole file).
    public init(file: String, position: SourcePosition?, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    public var description: String {
        guard let position else { return "\(file): \(message)" }
        return "\(file):\(position.line):\(position.column): \(message)"
    }
}

/// Every error of one or more rule files, in file order: the loader collects them all.
public struct RuleFileErrors: Error, Sendable, CustomStringConvertible {
    /// The errors, in file order.
    public let errors: [RuleFileError]

    /// Wraps collected errors.
    public init(_ errors: [RuleFileError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
