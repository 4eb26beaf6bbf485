import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns `--rules.file` / `rule_files:` patterns into the rule files to load, as Prometheus
/// does: each pattern is a glob; a pattern without glob characters names one file (so a
/// missing file is an error at load time, not silently nothing).
enum RuleFilePatterns {
    /// The pattern used when none is configured (relative to the working directory).
    static let defaultPattern = "rules/*.rules.yml"

    /// The files of `patterns` (the default pattern when empty), sorted per pattern, each
    /// file once, plus the patterns that matched nothing (for a warning).
    static func resolve(_ patterns: [String]) -> (files: [String], unmatched: [String]) {
        var files: [String] = []
        var unmatched: [String] = []
        for pattern in patterns.isEmpty ? [defaultPattern] : patterns {
            let matches = isGlob(pattern) ? expand(pattern) : [pattern]
            if matches.isEmpty && !patterns.isEmpty { unmatched.append(pattern) }
            for file in matches where !files.contains(file) { files.append(file) }
        }
        return (files, unmatched)
    }

    private static func isGlob(_ pattern: String) -> Bool {
        pattern.contains { "*?[".contains($0) }
    }

    /// glob(3): the matching paths, sorted; none when nothing matches.
    private static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }
}
