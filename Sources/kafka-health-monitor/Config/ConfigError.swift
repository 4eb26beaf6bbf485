/// A user error in a config file, a flag or an environment variable, with the position it
/// was found at when it came from a file: rendered `file:line:col: message`.
struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// Where the problem is: a file position, or the flag or variable that holds it.
    enum Location: Equatable {
        case file(path: String, line: Int, column: Int)
        case flag(String)
        case environment(String)
        /// A whole file (an unreadable rule file), without a position.
        case wholeFile(String)
    }

    let location: Location
    let message: String

    /// Orders errors of one file by line, then column (others keep their order).
    static func inFileOrder(_ lhs: ConfigError, _ rhs: ConfigError) -> Bool {
        guard case let .file(_, leftLine, leftColumn) = lhs.location,
              case let .file(_, rightLine, rightColumn) = rhs.location else { return false }
        return (leftLine, leftColumn) < (rightLine, rightColumn)
    }

    var description: String {
        switch location {
        case let .file(path, line, column): return "\(path):\(line):\(column): \(message)"
        case let .flag(name): return "flag --\(name): \(message)"
        case let .environment(name): return "environment variable \(name): \(message)"
        case let .wholeFile(path): return "\(path): \(message)"
        }
    }
}

/// Every problem found in one config source, in order of position (not only the first).
struct ConfigErrors: Error, CustomStringConvertible {
    let errors: [ConfigError]

    var description: String { errors.map(\.description).joined(separator: "\n") }
}
