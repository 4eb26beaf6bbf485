/// Runs parsed template nodes against one alert's data.
struct TemplateExecutor {
    let data: TemplateData
    private var variables: [String: TemplateValue]
    /// `.`: the data, or the current element inside `range`.
    private var dot: TemplateValue = .data

    init(data: TemplateData) {
        self.data = data
        variables = [
            "": .data, "labels": .map(data.labels), "externalLabels": .map(data.externalLabels),
            "externalURL": .string(data.externalURL), "value": .float(data.value),
        ]
    }

    mutating func run(_ nodes: [TemplateNode]) throws(TemplateError) -> String {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .action(let pipeline):
                let value = try evaluate(pipeline)
                if pipeline.declarations.isEmpty { out += GoFormat.print(value) }
            case .conditional(let condition, let then, let otherwise):
                let saved = variables
                out += try evaluate(condition).isTrue ? run(then) : run(otherwise)
                variables = saved
            case .range(let source, let key, let value, let body, let otherwise):
                out += try range(source, key: key, value: value, body: body, otherwise: otherwise)
            }
        }
        return out
    }

    private mutating func range(_ source: TemplatePipeline, key: String?, value: String?,
                                body: [TemplateNode], otherwise: [TemplateNode]) throws(TemplateError) -> String {
        let items: [(TemplateValue, TemplateValue)]
        switch try evaluate(source) {
        case .map(let map): items = map.keys.sorted().map { (.string($0), .string(map[$0]!)) }
        case .list(let list): items = list.enumerated().map { (.int($0.offset), $0.element) }
        case .none: items = []
        case let other: throw TemplateError(position: source.position, message: "range can't iterate over \(GoFormat.print(other))")
        }
        if items.isEmpty { return try run(otherwise) }
        var out = ""
        let (savedVariables, savedDot) = (variables, dot)
        for (itemKey, itemValue) in items {
            if let key { variables[key] = itemKey }
            if let value { variables[value] = itemValue }
            dot = itemValue
            out += try run(body)
        }
        (variables, dot) = (savedVariables, savedDot)
        return out
    }

    private mutating func evaluate(_ pipeline: TemplatePipeline) throws(TemplateError) -> TemplateValue {
        var piped: TemplateValue?
        for command in pipeline.commands {
            piped = try evaluate(command, piped: piped)
        }
        let result = piped ?? .none
        for name in pipeline.declarations { variables[name] = result }
        return result
    }

    private mutating func evaluate(_ command: TemplateCommand, piped: TemplateValue?) throws(TemplateError) -> TemplateValue {
        if case .function(let name) = command.arguments[0] {
            var arguments: [TemplateValue] = []
            for operand in command.arguments.dropFirst() { arguments.append(try value(of: operand)) }
            if let piped { arguments.append(piped) }
            do {
                return try TemplateFunctions.call(name, arguments)
            } catch {
                throw TemplateError(position: command.position, message: "error calling \(name): \(error.message)")
            }
        }
        guard command.arguments.count == 1, piped == nil else {
            throw TemplateError(position: command.position, message: "can't give argument to non-function")
        }
        return try value(of: command.arguments[0])
    }

    private mutating func value(of operand: TemplateOperand) throws(TemplateError) -> TemplateValue {
        switch operand {
        case .literal(let value): return value
        case .function(let name):
            do { return try TemplateFunctions.call(name, []) } catch {
                throw TemplateError(position: SourcePosition(line: 1, column: 1), message: "error calling \(name): \(error.message)")
            }
        case .field(let path): return try walk(dot, path)
        case .variable(let name, let path): return try walk(variables[name] ?? .none, path)
        case .pipeline(let inner, let path): return try walk(evaluate(inner), path)
        }
    }

    /// Follows `.A.b` from a value: fields of the data, keys of maps.
    private func walk(_ start: TemplateValue, _ path: [String]) throws(TemplateError) -> TemplateValue {
        var current = start
        for name in path {
            switch current {
            case .data:
                switch name {
                case "Labels": current = .map(data.labels)
                case "ExternalLabels": current = .map(data.externalLabels)
                case "ExternalURL": current = .string(data.externalURL)
                case "Value": current = .float(data.value)
                default:
                    throw TemplateError(position: SourcePosition(line: 1, column: 1),
                                        message: "can't evaluate field \(name) in type *template.tmplData")
                }
            case .map(let map): current = .string(map[name] ?? "")
            case .none: current = .none
            default:
                throw TemplateError(position: SourcePosition(line: 1, column: 1),
                                    message: "can't evaluate field \(name) in type \(current.typeName)")
            }
        }
        return current
    }
}
