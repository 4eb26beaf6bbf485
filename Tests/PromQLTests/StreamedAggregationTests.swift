import PromQL
import Testing
import TimeSeries

/// An aggregation of a range function into one group reads the store without label sets;
/// it must give exactly what the general path (every window selected up front) gives.
struct StreamedAggregationTests {
    /// A querier that only selects, so the engine cannot stream from it.
    struct SelectOnly: Querier {
        let store: Store
        func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
            store.select(matchers, mint: mint, maxt: maxt)
        }
    }

    /// Counters with resets, a series that goes stale inside the window, one that is stale
    /// throughout it, and a second metric name.
    static let store: Store = {
        let store = Store()
        for step in 0..<40 {
            let t = Int64(step) * 30_000
            for partition in 0..<5 {
                let value = Double((step * (partition + 1)) % 17) + 0.25 * Double(partition)
                store.append(["__name__": "shrinks_total", "partition": "\(partition)"], Sample(t, value))
            }
            store.append(["__name__": "shrinks_total", "partition": "stale"],
                         Sample(t, step == 36 ? StaleMarker.value : Double(step)))
            if step < 20 { store.append(["__name__": "shrinks_total", "partition": "gone"], Sample(t, Double(step))) }
            if step == 20 { store.append(["__name__": "shrinks_total", "partition": "gone"], Sample(t, StaleMarker.value)) }
            store.append(["__name__": "other_total", "partition": "0"], Sample(t, Double(step * 3)))
        }
        return store
    }()

    static func render(_ value: Value) -> String {
        guard case .vector(let elements) = value else { return "not a vector: \(value)" }
        return elements.map { "\($0.labels) \($0.value.bitPattern) \($0.timestamp)" }.joined(separator: "\n")
    }

    @Test(arguments: [
        "sum(rate(shrinks_total[5m]))",
        "sum(rate(shrinks_total[5m])) * 60 > 0.1",
        "avg(increase(shrinks_total[3m]))",
        "max(delta(shrinks_total[5m] offset 1m))",
        "min(irate(shrinks_total[2m]))",
        "count(changes(shrinks_total[10m]))",
        "stddev(resets(shrinks_total[10m]))",
        "quantile(0.9, max_over_time(shrinks_total[5m]))",
        "sum(last_over_time(shrinks_total[1m]))",
        "group(rate(shrinks_total{partition=~\"[0-3]\"}[5m]))",
        "sum(rate(shrinks_total{partition=\"gone\"}[5m]))",
        "sum(rate(nothing_total[5m]))",
        "sum(rate({__name__=~\"shrinks_total|other_total\"}[5m]))",
    ])
    func streamedOneGroupAggregationMatchesTheSelectPath(_ source: String) throws {
        let expr = try PromQLParser.parse(source)
        let engine = Engine()
        let time: Int64 = 39 * 30_000
        let streamed = Result { try engine.instant(expr, at: time, querier: Self.store) }
        let selected = Result { try engine.instant(expr, at: time, querier: SelectOnly(store: Self.store)) }
        switch (streamed, selected) {
        case (.success(let a), .success(let b)): #expect(Self.render(a) == Self.render(b))
        case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)")
        default: Issue.record("\(source): streamed \(streamed), selected \(selected)")
        }
    }

    /// The selector's series do produce a result here, so the comparison is not vacuous.
    @Test func theSumCoversEverySeries() throws {
        let value = try Engine().instant(try PromQLParser.parse("count(rate(shrinks_total[5m]))"), at: 39 * 30_000,
                                         querier: Self.store)
        #expect(Self.render(value) == "{} \(Double(6).bitPattern) \(39 * 30_000)")
    }
}
