import PropertyBased
import Testing
@testable import TimeSeries

@Suite struct SeriesIndexTests {
    /// Builds an index over `sets` and returns it with the ids in insertion order.
    static func index(_ sets: [Labels]) -> SeriesIndex {
        var index = SeriesIndex()
        for labels in Set(sets) { _ = index.add(labels) }
        return index
    }

    /// The selection the index must give: a linear scan of every series.
    static func scan(_ index: SeriesIndex, _ matchers: [LabelMatcher]) -> Postings {
        index.all.filter { id in matchers.allSatisfy { $0.matches(index.labels[Int(id)]!) } }
    }

    @Test(arguments: [
        (#"job="a""#, [LabelMatcher.Kind.equal], ["a"], [0, 1]),
        (#"job!="a""#, [.notEqual], ["a"], [2, 3]),
        (#"job=~"a|b""#, [.regexMatch], ["a|b"], [0, 1, 2]),
        (#"job!~"a|b""#, [.regexNoMatch], ["a|b"], [3]),
        (#"job="""#, [.equal], [""], [3]),
        (#"job!="""#, [.notEqual], [""], [0, 1, 2]),
        (#"job=~"a|""#, [.regexMatch], ["a|"], [0, 1, 3]),
        (#"job=~".+""#, [.regexMatch], [".+"], [0, 1, 2]),
        (#"job=~"c""#, [.regexMatch], ["c"], []),
    ] as [(String, [LabelMatcher.Kind], [String], [UInt32])])
    func selectsLikePrometheus(_ name: String, kinds: [LabelMatcher.Kind], values: [String], expected: [UInt32]) throws {
        var index = SeriesIndex()
        _ = index.add(["__name__": "up", "job": "a", "i": "0"])
        _ = index.add(["__name__": "up", "job": "a", "i": "1"])
        _ = index.add(["__name__": "up", "job": "b"])
        _ = index.add(["__name__": "up"])
        let matchers = try zip(kinds, values).map { try LabelMatcher($0, "job", $1) }
        #expect(index.select(matchers) == expected, "\(name)")
        #expect(index.select(matchers) == Self.scan(index, matchers))
    }

    @Test func removedSeriesLeaveEveryList() {
        var index = SeriesIndex()
        let a = index.add(["job": "a"])
        let b = index.add(["job": "b"])
        index.remove([a])
        #expect(index.select([]) == [b])
        #expect(index.postings["job"]?["a"] == nil)
        #expect(index.id(of: ["job": "a"]) == nil)
        #expect(index.count == 1)
    }

    @Test func ordersSelectionsByLabels() {
        var index = SeriesIndex()
        let names = ["c", "a", "b", "a2", "b1"]
        for name in names { _ = index.add(["x": name]) }
        index.commitOrder()
        _ = index.add(["x": "0"])
        index.commitOrder()
        let ordered = index.inLabelOrder(index.all).map { index.labels[Int($0)]!["x"]! }
        #expect(ordered == ["0", "a", "a2", "b", "b1", "c"])
        #expect(index.inLabelOrder([0, 1]).map { index.labels[Int($0)]!["x"]! } == ["a", "c"])
    }

    /// Random label sets and random matchers: the index selects exactly what a scan selects.
    @Test func selectsExactlyWhatAScanSelects() async {
        let values = ["", "a", "b", "ab", "c"]
        let labelSet = zip(Gen.int(in: 0...4), Gen.int(in: 0...4), Gen.int(in: 0...4)).map { x, y, z in
            Labels([("x", values[x]), ("y", values[y]), ("z", values[z])])
        }
        let patterns = ["", "a", "b", "a|b", "a|", ".*", ".+", "a.*", "(a|c)", "b|ab|c", "[ab]+"]
        let matcher = zip(Gen<LabelMatcher.Kind>.case, Gen.int(in: 0...2), Gen.int(in: 0..<patterns.count)).map { kind, name, pattern in
            try! LabelMatcher(kind, ["x", "y", "w"][name], patterns[pattern])
        }
        await propertyCheck(input: labelSet.array(of: 0...40), matcher.array(of: 0...3)) { sets, matchers in
            let index = Self.index(sets)
            #expect(index.select(matchers) == Self.scan(index, matchers), "\(matchers)")
        }
    }
}
