/// The metric names the exporter exposes. They are a contract (DESIGN.md): dashboards and
/// rule files depend on them, so they live in one place.
public enum MetricNames {
    /// 1 when the last collection succeeded, else 0.
    public static let up = "kafka_up"
    /// `{cluster_id}` 1: the cluster id Metadata reports.
    public static let clusterInfo = "kafka_cluster_info"
    /// The controller's broker id.
    public static let clusterControllerID = "kafka_cluster_controller_id"
    /// Brokers listed in Metadata (online brokers).
    public static let clusterBrokers = "kafka_cluster_brokers"
    /// Brokers the monitor expects (configured, or learned).
    public static let clusterExpectedBrokers = "kafka_cluster_expected_brokers"
    /// Topics listed in Metadata.
    public static let clusterTopics = "kafka_cluster_topics"
    /// Partitions listed in Metadata.
    public static let clusterPartitions = "kafka_cluster_partitions"
    /// `{broker_id,host,port}` 1 when an expected broker is in Metadata, 0 when absent.
    public static let brokerOnline = "kafka_broker_online"
    /// `{broker_id}` partitions the broker leads.
    public static let brokerLeaderPartitions = "kafka_broker_leader_partitions"
    /// `{broker_id}` partitions the broker is an assigned replica of.
    public static let brokerReplicaPartitions = "kafka_broker_replica_partitions"
    /// `{topic}` partitions of the topic.
    public static let topicPartitions = "kafka_topic_partitions"
    /// `{topic}` the topic's effective `min.insync.replicas`.
    public static let topicMinInsyncReplicas = "kafka_topic_min_insync_replicas"
    /// `{topic}` partitions with |ISR| < |replicas|, plus `topic="__total__"`.
    public static let underReplicatedPartitions = "kafka_under_replicated_partitions"
    /// `{topic}` partitions without a leader, plus `topic="__total__"`.
    public static let offlinePartitions = "kafka_offline_partitions"
    /// `{topic}` partitions with |ISR| < min.insync.replicas, plus `topic="__total__"`.
    public static let underMinIsrPartitions = "kafka_under_min_isr_partitions"
    /// `{topic}` partitions with |ISR| == min.insync.replicas, plus `topic="__total__"`.
    public static let atMinIsrPartitions = "kafka_at_min_isr_partitions"
    /// `{topic}` online partitions not led by their preferred replica, plus `topic="__total__"`.
    public static let preferredLeaderImbalance = "kafka_preferred_leader_imbalance_partitions"
    /// `{topic,partition}` brokers that left the partition's ISR.
    public static let isrShrinkEvents = "kafka_isr_shrink_events_total"
    /// `{topic,partition}` brokers that joined the partition's ISR.
    public static let isrExpandEvents = "kafka_isr_expand_events_total"

    /// The `topic` label value of per-topic totals.
    public static let totalTopic = "__total__"

    /// Seconds the last collection took.
    public static let collectDuration = "kafka_health_monitor_collect_duration_seconds"
    /// Collections that failed.
    public static let collectErrors = "kafka_health_monitor_collect_errors_total"
    /// Collections attempted.
    public static let collections = "kafka_health_monitor_collections_total"
    /// Chunks in the store.
    public static let storeChunks = "kafka_health_monitor_store_chunks"
    /// Samples the store accepted.
    public static let storeSamplesAppended = "kafka_health_monitor_store_samples_appended_total"
    /// `{reason}` samples the store refused.
    public static let storeAppendsRejected = "kafka_health_monitor_store_appends_rejected_total"
    /// Series in the store.
    public static let storeSeries = "kafka_health_monitor_store_series"
    /// Samples in the store.
    public static let storeSamples = "kafka_health_monitor_store_samples"
    /// Bytes the store holds.
    public static let storeBytes = "kafka_health_monitor_store_bytes"
}
