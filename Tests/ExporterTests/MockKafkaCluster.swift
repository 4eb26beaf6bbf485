import CRdKafka

/// librdkafka's built-in mock cluster (brokers 1…N listening on 127.0.0.1), on its own
/// `rd_kafka_t`, for integration tests that run the real collector over TCP.
final class MockKafkaCluster: @unchecked Sendable {
    private let handle: OpaquePointer
    private let cluster: OpaquePointer

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts a mock cluster of `brokers` brokers.
    init(brokers: Int32 = 3) throws {
        let conf = rd_kafka_conf_new()
        var errorText = [CChar](repeating: 0, count: 512)
        // This handle only hosts the mock brokers: keep its notices (no bootstrap.servers) quiet.
        rd_kafka_conf_set(conf, "log_level", "3", &errorText, errorText.count)
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw Failure(description: "rd_kafka_new failed")
        }
        guard let cluster = rd_kafka_mock_cluster_new(handle, Int32(brokers)) else {
            rd_kafka_destroy(handle)
            throw Failure(description: "rd_kafka_mock_cluster_new failed")
        }
        self.handle = handle
        self.cluster = cluster
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(handle)
    }

    /// `host:port,…` of the brokers.
    var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    /// Creates a topic.
    func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws {
        try check(rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor), "topic_create \(name)")
    }

    /// Makes `broker` the leader of a partition; -1 leaves it without a leader.
    func setLeader(_ topic: String, partition: Int32, broker: Int32) throws {
        try check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker), "set_leader")
    }

    // No set_down/set_up: rd_kafka_mock_broker_set_down closes the broker's listening socket
    // and binds a new one to the same port; if anything in the process got that port from
    // the kernel in between, librdkafka asserts and aborts the test process. Tests of
    // unreachable brokers hold ports with `RefusingPort` and start KafkaSim on them instead.

    /// The original service's cluster: 3 brokers; messages 100, file_merge_requests 50,
    /// message_status_updates 50, dlq 3 partitions; replication factor 3.
    static func original() throws -> MockKafkaCluster {
        let mock = try MockKafkaCluster(brokers: 3)
        for (name, partitions) in [("messages", 100), ("file_merge_requests", 50),
                                   ("message_status_updates", 50), ("dlq", 3)] as [(String, Int32)] {
            try mock.createTopic(name, partitions: partitions, replicationFactor: 3)
        }
        return mock
    }

    private func check(_ error: rd_kafka_resp_err_t, _ what: String) throws {
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw Failure(description: "\(what): \(String(cString: rd_kafka_err2str(error)))")
        }
    }
}
