import Testing
@testable import Exporter

/// The exposition formats: Prometheus text 0.0.4 and OpenMetrics 1.0.
@Suite struct MetricsWriterTests {
    let families = [
        MetricFamily(name: "kafka_broker_online", help: "Broker up.", kind: .gauge,
                     labelNames: ["broker_id", "host", "port"],
                     samples: [MetricSample(MetricLabelValues("1", "kafka-1", "9092"), 1),
                               MetricSample(MetricLabelValues("2", "", ""), 0)]),
        MetricFamily(name: "kafka_isr_shrink_events_total", help: "Shrinks.", kind: .counter,
                     labelNames: ["topic", "partition"],
                     samples: [MetricSample(MetricLabelValues("t", "0"), 3)]),
        MetricFamily(name: "kafka_health_monitor_collect_duration_seconds", help: "Seconds.", kind: .gauge,
                     samples: [MetricSample(0.0125)]),
    ]

    @Test func prometheusText() {
        #expect(MetricsWriter.render(families, format: .prometheusText) == """
            # HELP kafka_broker_online Broker up.
            # TYPE kafka_broker_online gauge
            kafka_broker_online{broker_id="1",host="kafka-1",port="9092"} 1
            kafka_broker_online{broker_id="2",host="",port=""} 0
            # HELP kafka_isr_shrink_events_total Shrinks.
            # TYPE kafka_isr_shrink_events_total counter
            kafka_isr_shrink_events_total{topic="t",partition="0"} 3
            # HELP kafka_health_monitor_collect_duration_seconds Seconds.
            # TYPE kafka_health_monitor_collect_duration_seconds gauge
            kafka_health_monitor_collect_duration_seconds 0.0125

            """)
    }

    @Test func openMetricsNamesCounterFamiliesWithoutTotalAndEndsWithEOF() {
        let text = MetricsWriter.render(Array(families[1...1]), format: .openMetrics)
        #expect(text == """
            # HELP kafka_isr_shrink_events Shrinks.
            # TYPE kafka_isr_shrink_events counter
            kafka_isr_shrink_events_total{topic="t",partition="0"} 3
            # EOF

            """)
    }

    @Test func partitionColumnsRenderLikeRowsAndSkipAbsentIds() {
        let columns = [PartitionColumn(topic: "a\"b", present: [true, false, true], values: [1, 9, 2.5]),
                       PartitionColumn(topic: "c", present: [true], values: [0])]
        let family = MetricFamily(name: "x_total", help: "X.", kind: .counter, partitionColumns: columns)
        let rows = MetricFamily(name: "x_total", help: "X.", kind: .counter, labelNames: ["topic", "partition"],
                                samples: family.samples)
        let text = MetricsWriter.render([family], format: .prometheusText)
        #expect(text == MetricsWriter.render([rows], format: .prometheusText))
        #expect(text.hasSuffix("""
            x_total{topic="a\\"b",partition="0"} 1
            x_total{topic="a\\"b",partition="2"} 2.5
            x_total{topic="c",partition="0"} 0

            """))
        #expect(family.sampleCount == 3)
    }

    struct EscapeCase: Sendable {
        let raw: String
        let labelValue: String
        let textHelp: String
        let openMetricsHelp: String
    }

    @Test(arguments: [
        EscapeCase(raw: "plain", labelValue: "plain", textHelp: "plain", openMetricsHelp: "plain"),
        EscapeCase(raw: #"a\b"#, labelValue: #"a\\b"#, textHelp: #"a\\b"#, openMetricsHelp: #"a\\b"#),
        EscapeCase(raw: "a\"b", labelValue: #"a\"b"#, textHelp: "a\"b", openMetricsHelp: #"a\"b"#),
        EscapeCase(raw: "a\nb", labelValue: #"a\nb"#, textHelp: #"a\nb"#, openMetricsHelp: #"a\nb"#),
        EscapeCase(raw: "ünï", labelValue: "ünï", textHelp: "ünï", openMetricsHelp: "ünï"),
    ])
    func escaping(_ test: EscapeCase) {
        let family = [MetricFamily(name: "m", help: test.raw, kind: .gauge, labelNames: ["l"],
                                   samples: [MetricSample(MetricLabelValues(test.raw), 1)])]
        let text = MetricsWriter.render(family, format: .prometheusText)
        #expect(text.contains("# HELP m \(test.textHelp)\n"))
        #expect(text.contains("m{l=\"\(test.labelValue)\"} 1\n"))
        let openMetrics = MetricsWriter.render(family, format: .openMetrics)
        #expect(openMetrics.contains("# HELP m \(test.openMetricsHelp)\n"))
        #expect(openMetrics.contains("m{l=\"\(test.labelValue)\"} 1\n"))
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (42, "42"), (-7, "-7"), (1e16, "1e+16"), (123_456_789_012, "123456789012"), (0.5, "0.5"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
    ])
    func values(_ value: Double, _ spelled: String) {
        #expect(MetricsWriter.format(value) == spelled)
    }

    @Test(arguments: [
        (nil, ExpositionFormat.prometheusText),
        ("*/*", .prometheusText),
        ("text/plain;version=0.0.4", .prometheusText),
        ("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.2", .openMetrics),
        ("text/plain, application/OpenMetrics-Text; version=0.0.1", .openMetrics),
        ("application/openmetrics-text; q=0", .prometheusText),
    ] as [(String?, ExpositionFormat)])
    func negotiation(_ accept: String?, _ format: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == format)
    }
}
