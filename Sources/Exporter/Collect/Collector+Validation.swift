extension Collector {
    /// Checks librdkafka properties without creating a client (no connection is made), for
    /// `check config`. Throws `CollectorError.invalidProperty` for the first refused one.
    public static func validate(properties: [String: String]) throws {
        try RdKafkaClient.validate(properties: properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
