import Yams

/// Maps a position inside a YAML scalar's value (1-based line and column of the string the
/// scalar decodes to) back to a position in the file, so that an error in an expression or a
/// template points at the offending character in the file, not at the start of the scalar.
///
/// Exact for single-line plain and quoted scalars without escapes and for literal blocks
/// (`|`); for folded text (`>` or multi-line flow scalars) it walks the folded lines.
struct ScalarPositions {
    let scalar: Node.Scalar
    let start: SourcePosition
    let sourceLines: [Substring]

    init(node: Node, sourceLines: [Substring]) {
        scalar = node.scalar ?? Node.Scalar("")
        start = node.position
        self.sourceLines = sourceLines
    }

    /// The file position of `inner` (a position within the scalar's string value).
    func filePosition(of inner: SourcePosition) -> SourcePosition {
        switch scalar.style {
        case .literal:
            let indent = blockIndent()
            return SourcePosition(line: start.line + inner.line, column: indent + inner.column)
        case .folded:
            return walk(offset: offsetInString(inner), firstLine: start.line + 1, firstColumn: nil)
        default:
            let quote = (scalar.style == .singleQuoted || scalar.style == .doubleQuoted) ? 1 : 0
            if !scalar.string.contains("\n") && inner.line == 1 && lineCount(from: start) {
                return SourcePosition(line: start.line, column: start.column + quote + inner.column - 1)
            }
            return walk(offset: offsetInString(inner), firstLine: start.line, firstColumn: start.column + quote)
        }
    }

    /// Whether the scalar fits on its first line (a flow scalar not folded over lines).
    private func lineCount(from start: SourcePosition) -> Bool {
        guard start.line - 1 < sourceLines.count else { return true }
        let line = sourceLines[start.line - 1]
        return line.unicodeScalars.count >= start.column - 1 + scalar.string.unicodeScalars.count
    }

    /// The indentation (in columns) of a block scalar's content: that of its first non-blank line.
    private func blockIndent() -> Int {
        var index = start.line  // the line after the indicator, 0-based
        while index < sourceLines.count {
            let line = sourceLines[index]
            if !line.allSatisfy({ $0 == " " }) {
                return line.prefix { $0 == " " }.count
            }
            index += 1
        }
        return 0
    }

    /// The 0-based scalar offset in the string of a 1-based line:column.
    private func offsetInString(_ inner: SourcePosition) -> Int {
        var offset = 0
        var line = 1
        for scalarValue in scalar.string.unicodeScalars {
            if line == inner.line { break }
            offset += 1
            if scalarValue == "\n" { line += 1 }
        }
        return offset + inner.column - 1
    }

    /// Walks folded source lines (each contributing its trimmed text and one space) to the
    /// line holding `offset`.
    private func walk(offset: Int, firstLine: Int, firstColumn: Int?) -> SourcePosition {
        var remaining = offset
        var lineNumber = firstLine
        var column = firstColumn
        while lineNumber - 1 < sourceLines.count {
            let line = sourceLines[lineNumber - 1]
            let startColumn = column ?? (line.prefix { $0 == " " || $0 == "\t" }.count + 1)
            let content = line.unicodeScalars.count - (startColumn - 1)
            if remaining <= content { return SourcePosition(line: lineNumber, column: startColumn + remaining) }
            remaining -= content + 1
            lineNumber += 1
            column = nil
        }
        return start
    }
}
