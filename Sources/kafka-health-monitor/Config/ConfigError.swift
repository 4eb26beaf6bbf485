/// A user error in a config file, a flag or an environment variable, with the position it
/// was found at when it came from a file: rendered `file:line:col: message`.
struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// Where the problem is: a file position, or the flag or variable that holds it.
    enum Location: Equatable {
        case file(path: String, line: Int, column: Int)
        case flag(String)
        case environment(String)
    }

    let location: Location
    let message: String

    var description: String {
        switch location {
        case let .file(path, line, column): return "\(path):\(line):\(column): \(message)"
        case let .flag(name): return "flag --\(name): \(message)"
        case let .environment(name): return "environment variable \(name): \(message)"
        }
    }
}

/// Every problem found in one config source, in order of position (not only the first).
struct ConfigErrors: Error, CustomStringConvertible {
    let errors: [ConfigError]

    var description: String { errors.map(\.description).joined(separator: "\n") }
}
