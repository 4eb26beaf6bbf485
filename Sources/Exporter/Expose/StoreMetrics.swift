import TimeSeries

/// The store's own statistics as `kafka_health_monitor_store_*` families.
enum StoreMetrics {
    static func families(_ stats: StoreStats) -> [MetricFamily] {
        func gauge(_ name: String, _ help: String, _ value: Int) -> MetricFamily {
            MetricFamily(name: name, help: help, kind: .gauge, samples: [MetricSample(Double(value))])
        }
        let rejected = stats.rejected.sorted { "\($0.key)" < "\($1.key)" }.map { reason, count in
            MetricSample(MetricLabelValues(String(describing: reason)), Double(count))
        }
        return [
            gauge(MetricNames.storeSeries, Help.storeSeries, stats.series),
            gauge(MetricNames.storeSamples, Help.storeSamples, stats.samples),
            gauge(MetricNames.storeBytes, Help.storeBytes, stats.bytes),
            gauge(MetricNames.storeChunks, Help.storeChunks, stats.chunks),
            MetricFamily(name: MetricNames.storeSamplesAppended, help: Help.storeAppended, kind: .counter,
                         samples: [MetricSample(Double(stats.samplesAppended))]),
            MetricFamily(name: MetricNames.storeAppendsRejected, help: Help.storeRejected, kind: .counter,
                         labelNames: ["reason"], samples: rejected),
        ]
    }
}
