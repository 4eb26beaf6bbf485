import TimeSeries

/// Converts metric families into the store's `(Labels, Double)` samples.
public enum StoreSamples {
    /// One sample per family sample, labelled with `__name__` and the family's labels; empty
    /// label values are left out, as Prometheus treats them as absent.
    public static func make(_ families: [MetricFamily]) -> [(Labels, Double)] {
        var out: [(Labels, Double)] = []
        out.reserveCapacity(families.reduce(0) { $0 + $1.sampleCount })
        for family in families {
            // The label order is the same for every sample: sort the names once per family.
            let order = family.labelNames.indices.sorted { family.labelNames[$0] < family.labelNames[$1] }
            let nameLabel = Label(Labels.metricName, family.name)
            for sample in family.samples {
                var labels = [nameLabel]
                labels.reserveCapacity(order.count + 1)
                for index in order where !sample.labels[index].isEmpty {
                    labels.append(Label(family.labelNames[index], sample.labels[index]))
                }
                out.append((Labels(sorted: labels), sample.value))
            }
        }
        return out
    }
}
