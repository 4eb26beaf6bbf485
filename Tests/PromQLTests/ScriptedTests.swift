import Foundation
import Testing

/// Runs every `testdata/*.test` script: each file is a specification of the engine that
/// anyone can extend without touching Swift.
@Suite struct ScriptedTests {
    static let files: [URL] = {
        guard let folder = Bundle.module.url(forResource: "testdata", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".test") }.sorted().map { folder.appendingPathComponent($0) }
    }()

    @Test func thereAreScripts() {
        #expect(Self.files.count > 0)
    }

    @Test(arguments: files.map(\.lastPathComponent))
    func script(_ name: String) throws {
        let url = Self.files.first { $0.lastPathComponent == name }!
        let script = try TestScript(String(contentsOf: url, encoding: .utf8))
        for failure in TestScriptRunner(name: name).run(script) {
            Issue.record(Comment(rawValue: failure))
        }
    }
}
