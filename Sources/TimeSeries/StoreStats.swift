/// What the store holds and has done, for its own metrics. The exporter exposes it as
/// `kafka_health_monitor_store_series`, `…_store_samples`, `…_store_bytes`,
/// `…_store_chunks`, `…_store_samples_appended_total` and
/// `…_store_appends_rejected_total{reason}` (see DESIGN.md).
public struct StoreStats: Sendable, Equatable {
    /// Series held now.
    public var series: Int
    /// Chunks held now (head chunks with samples included).
    public var chunks: Int
    /// Samples held now (staleness markers included).
    public var samples: Int
    /// Bytes of encoded samples held now (chunk payloads, not bookkeeping).
    public var bytes: Int
    /// Samples accepted since the store was created (staleness markers excluded).
    public var samplesAppended: Int
    /// Staleness markers written since the store was created.
    public var staleMarkersAppended: Int
    /// Samples refused since the store was created, by reason (every reason present, 0 or more).
    public var rejected: [AppendResult.Rejection.Reason: Int]
    /// Chunks dropped by retention since the store was created.
    public var chunksDropped: Int
    /// Series removed by retention (no sample left in the window) since the store was created.
    public var seriesRemoved: Int
    /// The retention window, in milliseconds.
    public var retention: Int64
    /// The latest timestamp appended, if any.
    public var maxTime: Int64?

    /// All refused samples, whatever the reason.
    public var rejectedTotal: Int { rejected.values.reduce(0, +) }

    /// Encoded bytes per held sample (0 for an empty store).
    public var bytesPerSample: Double { samples == 0 ? 0 : Double(bytes) / Double(samples) }
}

extension Store {
    /// A consistent snapshot of the store's metrics. Walks every series' chunk list (cheap: no
    /// decoding), so call it per scrape, not per sample.
    public var stats: StoreStats {
        head.withLock { head in
            var stats = StoreStats(
                series: head.index.count, chunks: 0, samples: 0, bytes: 0,
                samplesAppended: head.counters.samplesAppended,
                staleMarkersAppended: head.counters.staleMarkersAppended,
                rejected: Dictionary(uniqueKeysWithValues: AppendResult.Rejection.Reason.allCases.map {
                    ($0, head.counters.rejected[$0] ?? 0)
                }),
                chunksDropped: head.counters.chunksDropped, seriesRemoved: head.counters.seriesRemoved,
                retention: head.retention, maxTime: head.maxTime == .min ? nil : head.maxTime)
            for memSeries in head.series {
                stats.chunks += memSeries.chunkCount
                stats.samples += memSeries.sampleCount
                stats.bytes += memSeries.byteCount
            }
            return stats
        }
    }
}
