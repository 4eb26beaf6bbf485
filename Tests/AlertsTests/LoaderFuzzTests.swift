import Foundation
import Testing
@testable import Alerts

/// Random and mutated rule files and templates never crash or hang the loader: each gives a
/// rule file or errors that all carry a position inside the file.
@Suite struct LoaderFuzzTests {
    /// SplitMix64: a seeded generator, so that a failure reproduces.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array("{}[]:-'\"|> \n\t#&*!%@`$()=~,.0123456789abcxyz_ ") + ["{{", "}}", "expr: ", "- alert: A\n", "for: ", "\n  "]
        .flatMap { Array($0) }

    static func seeds() throws -> [String] {
        try (Fixtures.files(in: Fixtures.rulefmt, endingWith: ".yml") + [Fixtures.rules.appendingPathComponent("kafka-ha.rules.yml")])
            .map { try String(contentsOf: $0, encoding: .utf8) }
    }

    static func mutate(_ text: String, _ random: inout SeededGenerator) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = characters.isEmpty ? 0 : Int.random(in: 0..<characters.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where !characters.isEmpty:
                characters.removeSubrange(position..<min(characters.count, position + Int.random(in: 1...12, using: &random)))
            case 1:
                let insert = (0..<Int.random(in: 1...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
                characters.insert(contentsOf: insert, at: position)
            case 2 where !characters.isEmpty:
                characters[position] = alphabet.randomElement(using: &random)!
            default:
                let lines = String(characters).split(separator: "\n", omittingEmptySubsequences: false)
                let line = lines.randomElement(using: &random) ?? ""
                characters.insert(contentsOf: Array(line + "\n"), at: position)
            }
        }
        return String(characters)
    }

    static func checkLoads(_ text: String) {
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        switch RuleFileLoader.parse(text, file: "fuzz.yml") {
        case .success: break
        case .failure(let errors):
            #expect(!errors.errors.isEmpty)
            for error in errors.errors {
                #expect(!error.message.isEmpty)
                let position = error.position
                #expect(position != nil, "\(error) has no position")
                if let position { #expect(position.line >= 1 && position.line <= lineCount + 1, "\(error) outside the file") }
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func mutatedRuleFilesGiveAResultOrPositionedErrors() throws {
        var random = SeededGenerator(state: 42)
        let seeds = try Self.seeds()
        for _ in 0..<1500 {
            Self.checkLoads(Self.mutate(seeds.randomElement(using: &random)!, &random))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func randomTextGivesAResultOrPositionedErrors() {
        var random = SeededGenerator(state: 7)
        for _ in 0..<1500 {
            let text = String((0..<Int.random(in: 0...200, using: &random)).map { _ in Self.alphabet.randomElement(using: &random)! })
            Self.checkLoads(text)
            Self.checkLoads("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    annotations:\n      a: '" + text.replacingOccurrences(of: "'", with: "''") + "'\n")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func randomTemplatesParseOrFailWithAPositionInsideTheText() {
        var random = SeededGenerator(state: 99)
        let pieces = ["{{", "}}", " ", "$labels", ".x", "$value", "|", "humanize", "printf", "\"%d\"", "if", "else", "end",
                      "range", "(", ")", "$v", ":=", "eq", "1", "2.5", "\"s\"", "-", "\n", "text", "`raw`", ",", "."]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...16, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            do {
                let template = try Template.parse(text)
                _ = template.expandOrError(TemplateData(labels: ["x": "1"], value: 2))
            } catch {
                #expect(error.position.line >= 1 && error.position.line <= text.split(separator: "\n", omittingEmptySubsequences: false).count)
            }
        }
    }
}
