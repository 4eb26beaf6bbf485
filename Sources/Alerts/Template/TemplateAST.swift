/// The parsed form of a Go-template subset, as Prometheus's label and annotation templates use.
indirect enum TemplateNode: Sendable {
    /// Literal text, printed as is.
    case text(String)
    /// `{{ pipeline }}`: printed unless it declares a variable.
    case action(TemplatePipeline)
    /// `{{ if p }} then {{ else }} otherwise {{ end }}` (`else if` nests another `if`).
    case conditional(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode])
    /// `{{ range $k, $v := p }} body {{ else }} empty {{ end }}` over a map or a list.
    case range(TemplatePipeline, key: String?, value: String?, body: [TemplateNode], otherwise: [TemplateNode])
}

/// `$x := cmd arg | cmd arg`: commands whose results flow into the next command's last argument.
struct TemplatePipeline: Sendable {
    var declarations: [String] = []
    var commands: [TemplateCommand]
    let position: SourcePosition
}

/// One command: a function and its arguments, or a single operand.
struct TemplateCommand: Sendable {
    var arguments: [TemplateOperand]
    let position: SourcePosition
}

/// An operand of a command.
indirect enum TemplateOperand: Sendable {
    /// `.` or `.A.b`: the data, or fields and map keys reached from it.
    case field([String])
    /// `$x` or `$x.a.b`.
    case variable(String, [String])
    /// A function name such as `humanize`.
    case function(String)
    /// A literal value.
    case literal(TemplateValue)
    /// `( pipeline )`, optionally followed by fields.
    case pipeline(TemplatePipeline, [String])
}

/// A value during template execution: Go's dynamic types as the functions see them.
enum TemplateValue: Sendable, Equatable {
    case string(String)
    case float(Double)
    case int(Int)
    case bool(Bool)
    case map([String: String])
    case list([TemplateValue])
    case data
    case none

    /// Go's truth: false, zero, nil and empty are false.
    var isTrue: Bool {
        switch self {
        case .string(let s): return !s.isEmpty
        case .float(let f): return f != 0
        case .int(let i): return i != 0
        case .bool(let b): return b
        case .map(let m): return !m.isEmpty
        case .list(let l): return !l.isEmpty
        case .data: return true
        case .none: return false
        }
    }

    /// Go's type name, for messages.
    var typeName: String {
        switch self {
        case .string: return "string"
        case .float: return "float64"
        case .int: return "int"
        case .bool: return "bool"
        case .map: return "map[string]string"
        case .list: return "[]interface {}"
        case .data: return "*template.tmplData"
        case .none: return "<nil>"
        }
    }
}

/// A template that does not parse or fails to execute, with the position in its text.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// 1-based line and column within the template text.
    public let position: SourcePosition
    /// What is wrong.
    public let message: String

    public var description: String { "\(position): \(message)" }
}
