/// A label or annotation template in the subset of Go's `text/template` that rule files use:
/// `{{ $labels.x }}`, `{{ .Labels.x }}`, `{{ $value }}`, `{{ .Value }}`, `{{ $externalLabels.x }}`,
/// `{{ $externalURL }}`, pipelines into `humanize`, `humanize1024`, `humanizePercentage`,
/// `humanizeDuration`, `printf`, `title`, `toUpper`, `toLower` and friends, `if`/`else`/`end`
/// with `eq ne lt le gt ge and or not`, `range` over a map, and `$x :=` variables.
///
/// Missing label keys print as the empty string (Prometheus sets `missingkey=zero`).
public struct Template: Sendable {
    /// The variables Prometheus defines before every alert template.
    static let predefinedVariables: Set<String> = ["", "labels", "externalLabels", "externalURL", "value"]

    let nodes: [TemplateNode]

    /// Parses template text; throws a `TemplateError` positioned in `text`.
    public static func parse(_ text: String) throws(TemplateError) -> Template {
        var parser = TemplateParser(try TemplateLexer.tokenize(text))
        return Template(nodes: try parser.parseAll())
    }

    /// Expands the template for one alert; throws a `TemplateError` when execution fails
    /// (Prometheus then uses `<error expanding template: …>` as the value).
    public func expand(_ data: TemplateData) throws(TemplateError) -> String {
        var executor = TemplateExecutor(data: data)
        return try executor.run(nodes)
    }

    /// Expands the template, or returns Prometheus's `<error expanding template: …>` text.
    public func expandOrError(_ data: TemplateData) -> String {
        do {
            return try expand(data)
        } catch {
            return "<error expanding template: \(error.message)>"
        }
    }
}

/// What an alert's templates see: `.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`.
public struct TemplateData: Sendable {
    /// `$labels`: the result series' labels.
    public var labels: [String: String]
    /// `$externalLabels`.
    public var externalLabels: [String: String]
    /// `$externalURL`.
    public var externalURL: String
    /// `$value`: the result series' value.
    public var value: Double

    /// Template data for one alert.
    public init(labels: [String: String], externalLabels: [String: String] = [:], externalURL: String = "", value: Double) {
        self.labels = labels
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.value = value
    }
}
