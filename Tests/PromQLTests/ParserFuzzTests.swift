import PropertyBased
import Testing
import TimeSeries
@testable import PromQL

/// Random and mutated expressions never crash or hang the parser: each gives an `Expr`
/// (which prints back to something that parses, and evaluates or fails with an
/// `EvalError`) or a `ParseError` positioned inside the source.
@Suite struct ParserFuzzTests {
    static let fragments = [
        "sum", "avg", "topk", "count_values", "quantile", "rate", "irate", "label_replace", "absent",
        "clamp", "round", "time", "vector", "scalar", "sort", "histogram_quantile", "foo", "bar", "job:x:y",
        "(", ")", "{", "}", "[", "]", ",", ":", "=", "!=", "=~", "!~", "==", "!", "~", "<", ">=", "+", "-",
        "*", "/", "%", "^", "@", "1", "0x1f", ".5", "1e3", "Inf", "NaN", "5m", "30s", "1h", "\"a\"", "'b'",
        "`c`", "\"\\x4\"", "\"", "'", "`", "\\", "#", "\n", " ", "é", "by", "without", "on", "ignoring",
        "group_left", "group_right", "bool", "offset", "and", "or", "unless", "atan2", "__name__", "a",
    ]

    static let corpus = [
        "sum by (job) (rate(http_requests_total{job=~\"api|db\"}[5m])) > 0.1",
        "max_over_time(deriv(rate(foo[1m])[5m:30s])[10m:1m] offset 1m)",
        "a + on(b) group_left(c) d * ignoring(e) f ^ -2 ^ 3",
        "label_replace(up{job=\"x\"}, \"dst\", \"$1\", \"src\", \"(.*)\")",
        "topk by (a) (3, foo) or bottomk(1, bar) unless count_values(\"v\", baz)",
        "absent_over_time(nonexistent{job=\"x\"}[5m]) == bool 1",
        "clamp(foo, 0x10, 1e2) % 3 atan2 vector(time())",
        "quantile without (instance) (0.9, -foo offset 5m)",
    ]

    static let store: Store = {
        let store = Store()
        for step in 0..<30 {
            store.append(["__name__": "foo", "a": "1"], Sample(Int64(step) * 30_000, Double(step)))
            store.append(["__name__": "foo", "a": "2", "job": "api"], Sample(Int64(step) * 30_000, Double(step * step)))
            store.append(["__name__": "bar", "b": "x"], Sample(Int64(step) * 30_000, 5))
        }
        return store
    }()

    /// Parses `source`; checks the error position or the round trip and evaluation.
    static func check(_ source: String) {
        do {
            let expr = try PromQLParser.parse(source)
            let printed = expr.description
            #expect(throws: Never.self, "\(source) printed as \(printed)") { try PromQLParser.parse(printed) }
            do {
                _ = try Engine().instant(expr, at: 600_000, querier: store)
            } catch {
                #expect(error is EvalError, "\(source): \(error)")
            }
        } catch {
            let lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            #expect(error.line >= 1 && error.line <= lines.count, "\(source): \(error)")
            if error.line >= 1 && error.line <= lines.count {
                #expect(error.column >= 1 && error.column <= lines[error.line - 1].count + 1, "\(source): \(error)")
            }
        }
    }

    @Test func randomTokenSequencesGetAResultOrAPositionedError() async {
        let generator = Gen<String?>.element(of: Self.fragments).array(of: 0...24).map { $0.compactMap { $0 }.joined() }
        await propertyCheck(count: 3000, input: generator) { source in
            Self.check(source)
        }
    }

    @Test func randomBytesGetAResultOrAPositionedError() async {
        let generator = Gen.ascii.string(of: 0...40)
        await propertyCheck(count: 2000, input: generator) { source in
            Self.check(source)
        }
    }

    /// Deletes, duplicates or inserts pieces of valid expressions.
    @Test func mutatedExpressionsGetAResultOrAPositionedError() async {
        let generator = zip(Gen<String?>.element(of: Self.corpus), Gen.int(in: 0...600), Gen.int(in: 0...20),
                            Gen<String?>.element(of: Self.fragments))
        await propertyCheck(count: 3000, input: generator) { base, position, length, fragment in
            let kind = position % 3
            var characters = Array(base!)
            let start = min(position / 3, characters.count)
            let end = min(start + length, characters.count)
            switch kind {
            case 0: characters.removeSubrange(start..<end)
            case 1: characters.insert(contentsOf: characters[start..<end], at: end)
            default: characters.insert(contentsOf: Array(fragment!), at: start)
            }
            Self.check(String(characters))
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        #expect(throws: ParseError.self) { try PromQLParser.parse(deep) }
        let unary = String(repeating: "-", count: 100_000) + "1"
        #expect(throws: ParseError.self) { try PromQLParser.parse(unary) }
        let chain = "1" + String(repeating: " + 1", count: 100_000)
        #expect(throws: ParseError.self) { try PromQLParser.parse(chain) }
    }

    /// The rule evaluator runs on the cooperative pool, whose threads have smaller stacks.
    @Test func deepestAcceptedTreeEvaluatesInADetachedTask() async throws {
        let depth = Parser.maxDepth / 2 - 3
        let source = String(repeating: "-(", count: depth) + "sum(rate(foo[5m]))" + String(repeating: ")", count: depth)
        let count = try await Task.detached {
            let expr = try PromQLParser.parse(source)
            _ = expr.description
            guard case .vector(let elements) = try Engine().instant(expr, at: 600_000, querier: Self.store) else { return -1 }
            return elements.count
        }.value
        #expect(count == 1)
        let refused = await Task.detached {
            let deep = String(repeating: "(-", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
            do {
                _ = try PromQLParser.parse(deep)
                return false
            } catch {
                return true
            }
        }.value
        #expect(refused)
    }

    /// The deepest accepted tree still prints and evaluates on a test thread's stack.
    @Test func deepestAcceptedTreeEvaluates() throws {
        let depth = Parser.maxDepth / 2 - 3   // each "-(" is two levels: unary and parentheses
        let source = String(repeating: "-(", count: depth) + "sum(rate(foo[5m]))" + String(repeating: ")", count: depth)
        let expr = try PromQLParser.parse(source)
        #expect(expr.description == source)
        let value = try Engine().instant(expr, at: 600_000, querier: Self.store)
        guard case .vector(let elements) = value else { Issue.record("not a vector"); return }
        #expect(elements.count == 1)
        let chain = "1" + String(repeating: " + 1", count: Parser.maxDepth - 2)
        guard case .scalar(let sum, _) = try Engine().instant(try PromQLParser.parse(chain), at: 0, querier: Self.store) else {
            Issue.record("not a scalar"); return
        }
        #expect(sum == Double(Parser.maxDepth - 1))
    }
}
