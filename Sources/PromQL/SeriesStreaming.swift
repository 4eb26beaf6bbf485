import TimeSeries

/// A querier that can hand over matching series one at a time, so a range function such
/// as `rate(x[5m])` over 100k series reads each window without materialising them all.
/// The engine uses it when the querier conforms; `select` remains the general path.
public protocol SeriesStreaming: Querier {
    /// Calls `body` for every series satisfying all `matchers` with samples in
    /// `mint...maxt` (inclusive), in label order, staleness markers included. The sample
    /// array may be reused between calls.
    func forEachSeries(matching matchers: [LabelMatcher], mint: Int64, maxt: Int64,
                       _ body: (Labels, [Sample]) throws -> Void) rethrows

    /// Like `forEachSeries`, for callers that never read the label sets (an aggregation of
    /// everything into one group): an implementation may then skip copying them.
    func forEachSeriesSamples(matching matchers: [LabelMatcher], mint: Int64, maxt: Int64,
                              _ body: ([Sample]) throws -> Void) rethrows
}

extension SeriesStreaming {
    /// Passes each series' samples on, dropping its labels.
    public func forEachSeriesSamples(matching matchers: [LabelMatcher], mint: Int64, maxt: Int64,
                                     _ body: ([Sample]) throws -> Void) rethrows {
        try forEachSeries(matching: matchers, mint: mint, maxt: maxt) { _, samples in try body(samples) }
    }
}

extension Store: SeriesStreaming {}
