import TimeSeries

/// Collects samples per label set across evaluation steps.
struct SeriesAccumulator {
    private var index: [Labels: Int] = [:]
    private var labels: [Labels] = []
    private var samples: [[Sample]] = []

    mutating func add(_ series: Labels, _ sample: Sample) {
        if let position = index[series] {
            samples[position].append(sample)
        } else {
            index[series] = labels.count
            labels.append(series)
            samples.append([sample])
        }
    }

    /// The series sorted by labels.
    var sorted: [Series] {
        zip(labels, samples).map { Series(labels: $0, samples: $1) }.sorted { $0.labels < $1.labels }
    }
}
