import Yams

/// Positions and messages of Yams's syntax errors, so that a malformed file is reported as
/// `file:line:col: message` like every other rule-file error.
enum YAMLErrorPosition {
    static func of(_ error: Error) -> SourcePosition? {
        guard let error = error as? YamlError else { return nil }
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourcePosition(line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourcePosition(line: context.mark.line, column: context.mark.column)
        default:
            return nil
        }
    }

    static func message(of error: Error) -> String {
        guard let error = error as? YamlError else { return "yaml: \(error)" }
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return "yaml: " + [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        case .duplicatedKeysInMapping(let duplicates, _):
            return "yaml: mapping keys are repeated: " + duplicates.joined(separator: ", ")
        default:
            return "yaml: \(error)"
        }
    }
}
