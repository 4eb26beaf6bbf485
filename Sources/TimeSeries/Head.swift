/// Everything the store holds, kept behind its lock: the index, the series' chunks, what each
/// source wrote last (for staleness), the retention window and the counters.
struct Head: Sendable {
    var index = SeriesIndex()
    /// Series by id. A series retention removed stays as an empty slot (ids are not reused);
    /// `isLive` tells them apart. Not optional, so reads borrow slots in place.
    var series: [MemSeries] = []
    /// Per source, the ids and label sets of its last batch, by position.
    var sources: [String: SourceBatch] = [:]
    /// How much history is kept, in milliseconds.
    var retention: Int64
    /// The latest timestamp ever appended; retention counts back from it.
    var maxTime: Int64 = .min
    private var lastTruncation: Int64 = .min
    /// Per-id marks for set differences without hashing (see `markStale`).
    private var marks: [UInt32] = []
    private var epoch: UInt32 = 0
    var counters = StoreCounters()

    init(retention: Int64) {
        self.retention = retention
    }

    /// What one source appended last: its series ids and their label sets, in batch order.
    struct SourceBatch: Sendable {
        var ids: [UInt32] = []
        var labels: [Labels] = []
    }

    /// Samples older than this are refused: they would be dropped by retention at once.
    /// Saturates at `Int64.min`, so a huge retention (tests use `.max / 4`) means "keep all".
    var minValidTime: Int64 {
        let (start, overflow) = maxTime.subtractingReportingOverflow(retention)
        return maxTime == .min || overflow ? .min : start
    }

    /// Appends one batch (see `Appender.append`).
    mutating func append(source: String, timestamp: Int64, samples: [(Labels, Double)]) -> AppendResult {
        var result = AppendResult()
        if timestamp < minValidTime {
            for (labels, _) in samples { reject(labels, timestamp, .tooOld, into: &result) }
            return result
        }
        var previous = sources.removeValue(forKey: source) ?? SourceBatch()
        var ids = [UInt32]()
        ids.reserveCapacity(samples.count)
        var unchanged = samples.count == previous.ids.count
        for (position, (labels, value)) in samples.enumerated() {
            // Fast path: the same series at the same position as last time (label sets
            // shared with the caller compare by buffer identity, without hashing).
            let id: UInt32
            if position < previous.ids.count, isLive(previous.ids[position]),
               previous.labels[position] == labels {
                id = previous.ids[position]
            } else {
                unchanged = false
                id = index.id(of: labels) ?? create(labels)
            }
            ids.append(id)
            if let reason = series[Int(id)].check(timestamp) {
                reject(labels, timestamp, reason, into: &result)
            } else {
                series[Int(id)].append(timestamp, value)
                result.appended += 1
            }
        }
        if !unchanged {
            markStale(previous.ids, keeping: ids, at: timestamp)
            previous = SourceBatch(ids: ids, labels: samples.map(\.0))
        }
        sources[source] = previous
        counters.samplesAppended += result.appended
        advance(to: timestamp)
        return result
    }

    /// Appends one sample to one series.
    mutating func append(_ labels: Labels, _ sample: Sample) -> AppendResult.Rejection.Reason? {
        var reason: AppendResult.Rejection.Reason?
        if sample.timestamp < minValidTime {
            reason = .tooOld
        } else {
            let id = index.id(of: labels) ?? create(labels)
            reason = series[Int(id)].check(sample.timestamp)
            if reason == nil {
                series[Int(id)].append(sample.timestamp, sample.value)
                counters.samplesAppended += 1
                advance(to: sample.timestamp)
            }
        }
        if let reason { counters.rejected[reason, default: 0] += 1 }
        return reason
    }

    private mutating func reject(_ labels: Labels, _ timestamp: Int64, _ reason: AppendResult.Rejection.Reason,
                                 into result: inout AppendResult) {
        result.rejected.append(.init(labels: labels, timestamp: timestamp, reason: reason))
        counters.rejected[reason, default: 0] += 1
    }

    /// Whether `id` names a series still in the store.
    func isLive(_ id: UInt32) -> Bool { index.labels[Int(id)] != nil }

    /// Creates an empty series.
    mutating func create(_ labels: Labels) -> UInt32 {
        let id = index.add(labels)
        series.append(MemSeries())
        marks.append(0)
        return id
    }

    /// Writes a staleness marker at `timestamp` into every series of `previous` that is not in
    /// `current`. Marks ids with a fresh epoch instead of building a set.
    private mutating func markStale(_ previous: [UInt32], keeping current: [UInt32], at timestamp: Int64) {
        epoch &+= 1
        if epoch == 0 {
            for i in marks.indices { marks[i] = 0 }
            epoch = 1
        }
        for id in current { marks[Int(id)] = epoch }
        for id in previous where marks[Int(id)] != epoch {
            marks[Int(id)] = epoch
            // Another writer may have moved the series past this batch: no marker then.
            guard isLive(id), series[Int(id)].check(timestamp) == nil,
                  let last = series[Int(id)].last, !StaleMarker.isStale(last.value)
            else { continue }
            series[Int(id)].append(timestamp, StaleMarker.value)
            counters.staleMarkersAppended += 1
        }
    }

    /// Moves the clock forward and drops expired chunks now and then.
    private mutating func advance(to timestamp: Int64) {
        guard timestamp > maxTime else { return }
        maxTime = timestamp
        if lastTruncation == .min { lastTruncation = timestamp }
        // Truncate every tenth of the window (at most every 5 minutes, at least every second).
        let interval = max(1000, min(retention / 10, 300_000))
        if !timestamp.isWithin(interval, after: lastTruncation) { truncate() }
    }

    /// Drops chunks entirely older than the window, and series left without samples.
    mutating func truncate() {
        lastTruncation = maxTime
        let minTime = minValidTime
        var removed = Set<UInt32>()
        for id in series.indices where !series[id].isEmpty {
            let dropped = series[id].truncate(before: minTime)
            guard dropped > 0 else { continue }
            counters.chunksDropped += dropped
            if series[id].isEmpty { removed.insert(UInt32(id)) }
        }
        index.remove(removed)
        counters.seriesRemoved += removed.count
    }
}

/// The running totals behind `StoreStats`.
struct StoreCounters: Sendable, Equatable {
    var samplesAppended = 0
    var staleMarkersAppended = 0
    var rejected: [AppendResult.Rejection.Reason: Int] = [:]
    var chunksDropped = 0
    var seriesRemoved = 0
}
