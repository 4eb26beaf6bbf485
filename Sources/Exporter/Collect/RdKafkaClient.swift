import CRdKafka
import Foundation
import Logging

/// The one wrapper around librdkafka: a long-lived producer handle used for Metadata and
/// DescribeConfigs, every C call made on one dedicated thread (never on the cooperative pool).
///
/// The methods that touch the handle are `private` and run only inside `thread.run { }`.
final class RdKafkaClient: @unchecked Sendable {
    private let handle: OpaquePointer
    private let adminQueue: OpaquePointer
    private let thread: DedicatedThread
    /// Touched only on `thread`: whether a DescribeConfigs request is awaiting its result.
    private var describeInFlight = false

    /// Creates the handle from librdkafka properties (`bootstrap.servers` among them).
    /// Throws `CollectorError.invalidProperty` for a property librdkafka refuses.
    init(properties: [(String, String)]) throws {
        guard let conf = rd_kafka_conf_new() else { throw CollectorError.clientCreation("rd_kafka_conf_new failed") }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties {
            if rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw CollectorError.invalidProperty(name: name, reason: Self.text(errorText))
            }
        }
        rd_kafka_conf_set_log_cb(conf, { _, level, facility, message in
            RdKafkaClient.forwardLog(level: level, facility: facility, message: message)
        })
        // rd_kafka_new takes ownership of `conf` only when it succeeds.
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw CollectorError.clientCreation(Self.text(errorText))
        }
        self.handle = handle
        adminQueue = rd_kafka_queue_new(handle)
        thread = DedicatedThread(name: "librdkafka")
    }

    /// Sets `properties` on a throw-away librdkafka configuration, to report refused ones.
    static func validate(properties: [(String, String)]) throws {
        guard let conf = rd_kafka_conf_new() else { throw CollectorError.clientCreation("rd_kafka_conf_new failed") }
        defer { rd_kafka_conf_destroy(conf) }
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties where rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
            throw CollectorError.invalidProperty(name: name, reason: Self.text(errorText))
        }
    }

    deinit {
        // Every job holds `self`, so none is running now: destroying here is safe on any
        // thread (deinit may even run on `thread`, after its last job let go of `self`).
        rd_kafka_queue_destroy(adminQueue)
        rd_kafka_destroy(handle)
        thread.stop()
    }

    /// Fetches Metadata for all topics (plus cluster and controller ids) within `timeout`.
    func metadata(timeout: Duration) async throws -> ClusterSnapshot {
        try await thread.run { [self] in try fetchMetadata(timeoutMS: Self.milliseconds(timeout)) }
    }

    /// Sends DescribeConfigs for `topics` unless one is already pending; the answer arrives
    /// through `pollTopicConfigs()`. librdkafka itself fails the request after `timeout`.
    func requestTopicConfigs(_ topics: [String], timeout: Duration) async throws {
        try await thread.run { [self] in try submitDescribeConfigs(topics, timeoutMS: Self.milliseconds(timeout)) }
    }

    /// The answer to the pending DescribeConfigs request, if it has arrived: topic name →
    /// `min.insync.replicas`, or the error that failed the request. Never blocks.
    func pollTopicConfigs() async throws -> Result<[String: Int], CollectorError>? {
        try await thread.run { [self] in takeDescribeConfigsResult() }
    }

    // MARK: - On the thread

    private func fetchMetadata(timeoutMS: Int32) throws -> ClusterSnapshot {
        rd_kafka_poll(handle, 0)
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, 1, nil, &metadata, timeoutMS)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw CollectorError.metadata(String(cString: rd_kafka_err2str(error)))
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let data = metadata.pointee
        let brokers = (0..<Int(data.broker_cnt)).map { index -> ClusterSnapshot.Broker in
            let broker = data.brokers[index]
            return .init(id: broker.id, host: String(cString: broker.host), port: Int32(broker.port))
        }
        var topics: [ClusterSnapshot.Topic] = []
        topics.reserveCapacity(Int(data.topic_cnt))
        for topicIndex in 0..<Int(data.topic_cnt) {
            let topic = data.topics[topicIndex]
            var partitions: [ClusterSnapshot.Partition] = []
            partitions.reserveCapacity(Int(topic.partition_cnt))
            for partitionIndex in 0..<Int(topic.partition_cnt) {
                let partition = topic.partitions[partitionIndex]
                partitions.append(.init(
                    id: partition.id, leader: partition.leader,
                    replicas: Array(UnsafeBufferPointer(start: partition.replicas, count: Int(partition.replica_cnt))),
                    isr: Array(UnsafeBufferPointer(start: partition.isrs, count: Int(partition.isr_cnt))),
                    errorCode: partition.err.rawValue))
            }
            topics.append(.init(name: String(cString: topic.topic), partitions: partitions,
                                errorCode: topic.err.rawValue))
        }
        var clusterID: String?
        if let id = rd_kafka_clusterid(handle, 0) {
            clusterID = String(cString: id)
            rd_kafka_mem_free(handle, id)
        }
        let controller = rd_kafka_controllerid(handle, 0)
        return ClusterSnapshot(clusterID: clusterID, controllerID: controller >= 0 ? controller : nil,
                               brokers: brokers, topics: topics)
    }

    private func submitDescribeConfigs(_ topics: [String], timeoutMS: Int32) throws {
        guard !describeInFlight, !topics.isEmpty else { return }
        guard let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS) else {
            throw CollectorError.describeConfigs("rd_kafka_AdminOptions_new failed")
        }
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorText = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMS, &errorText, errorText.count)
        var resources = topics.map { rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, $0) }
        defer { for resource in resources { rd_kafka_ConfigResource_destroy(resource) } }
        rd_kafka_DescribeConfigs(handle, &resources, resources.count, options, adminQueue)
        describeInFlight = true
    }

    private func takeDescribeConfigsResult() -> Result<[String: Int], CollectorError>? {
        guard describeInFlight, let event = rd_kafka_queue_poll(adminQueue, 0) else { return nil }
        defer { rd_kafka_event_destroy(event) }
        describeInFlight = false
        if rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR {
            return .failure(.describeConfigs(String(cString: rd_kafka_event_error_string(event))))
        }
        guard let result = rd_kafka_event_DescribeConfigs_result(event) else {
            return .failure(.describeConfigs("unexpected admin event \(rd_kafka_event_type(event))"))
        }
        var count = 0
        guard let resources = rd_kafka_DescribeConfigs_result_resources(result, &count) else { return .success([:]) }
        var values: [String: Int] = [:]
        for index in 0..<count {
            guard let resource = resources[index],
                  rd_kafka_ConfigResource_error(resource) == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            var entryCount = 0
            guard let entries = rd_kafka_ConfigResource_configs(resource, &entryCount) else { continue }
            for entryIndex in 0..<entryCount {
                guard let entry = entries[entryIndex],
                      String(cString: rd_kafka_ConfigEntry_name(entry)) == "min.insync.replicas",
                      let value = rd_kafka_ConfigEntry_value(entry),
                      let number = Int(String(cString: value)) else { continue }
                values[String(cString: rd_kafka_ConfigResource_name(resource))] = number
            }
        }
        return .success(values)
    }

    // MARK: - Helpers

    private static let logger = Logger(label: "kafka-health-monitor.librdkafka")

    /// librdkafka's own log lines: critical ones as errors, the rest (connection refusals that
    /// repeat while Kafka is down) at debug, since collection failures are reported once.
    private static func forwardLog(level: Int32, facility: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        let text = "\(facility.map { String(cString: $0) } ?? ""): \(message.map { String(cString: $0) } ?? "")"
        logger.log(level: level <= 2 ? .error : .debug, "\(text)")
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
