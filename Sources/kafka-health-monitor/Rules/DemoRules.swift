/// The rules the demo uses when no `rules/` directory is at hand: the five documented
/// alerts of DESIGN.md in their shortest form (rules/kafka-ha.rules.yml is the full,
/// annotated and unit-tested set).
enum DemoRules {
    static let yaml = """
        groups:
          - name: kafka-ha-built-in
            rules:
              - alert: KafkaBrokerOffline
                expr: kafka_broker_online == 0
                for: 1m
                labels: {severity: critical}
                annotations: {summary: "Kafka broker {{ $labels.broker_id }} is offline"}
              - alert: KafkaClusterDegraded
                expr: count(kafka_broker_online == 1) < count(kafka_broker_online)
                for: 1m
                labels: {severity: warning}
                annotations: {summary: "Fewer Kafka brokers online than expected"}
              - alert: KafkaUnderReplicatedPartitions
                expr: kafka_under_replicated_partitions{topic="__total__"} > 0
                for: 2m
                labels: {severity: warning}
                annotations: {summary: "{{ $value }} partitions are under-replicated"}
              - alert: KafkaOfflinePartitions
                expr: kafka_offline_partitions{topic!="__total__"} > 0
                for: 30s
                labels: {severity: critical}
                annotations: {summary: "Topic {{ $labels.topic }} has offline partitions"}
              - alert: KafkaIsrShrinkRateHigh
                expr: sum(rate(kafka_isr_shrink_events_total[5m])) * 60 > 0.1
                labels: {severity: warning}
                annotations: {summary: "ISRs are shrinking"}

        """
}
