/// Reads sample values out of a text exposition, for tests: `value(of: "kafka_up", in: text)`
/// or with the full series as written, `kafka_offline_partitions{topic="messages"}`.
enum Exposition {
    static func value(of series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    /// Every sample line of metric `name` (any labels).
    static func lines(of name: String, in text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
    }
}
