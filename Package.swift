// swift-tools-version:6.1
import PackageDescription

// One stage per module, dependencies pointing one way (see docs/ and ../shared/DESIGN.md):
// CRdKafka/CCurl/CSQLite → TimeSeries → Exporter, PromQL → Alerts; Notify knows nothing of
// rules; KafkaSim shares no code with the collector; the executable wires them together.
let package = Package(
    name: "kafka-health-monitor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kafka-health-monitor", targets: ["kafka-health-monitor"]),
        .executable(name: "kafka-sim", targets: ["kafka-sim"]),
        .executable(name: "khm-bench", targets: ["khm-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries and C shims.
        .systemLibrary(
            name: "CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]),
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),

        // Libraries, one pipeline stage each.
        // One inline function: a cache prefetch hint for the store's wide reads.
        .target(name: "CPrefetch"),
        .target(name: "CXORDecode"),
        .target(name: "TimeSeries", dependencies: ["CPrefetch", "CXORDecode"]),
        .target(
            name: "Exporter",
            dependencies: [
                "CRdKafka", "TimeSeries",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "PromQL", dependencies: ["TimeSeries"]),
        .target(
            name: "Alerts",
            dependencies: [
                "PromQL", "TimeSeries",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Notify",
            dependencies: [
                "CCurl", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "KafkaSim",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Executables.
        .executableTarget(
            name: "kafka-health-monitor",
            dependencies: [
                "Exporter", "TimeSeries", "PromQL", "Alerts", "Notify", "KafkaSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "kafka-sim",
            dependencies: [
                "KafkaSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "khm-notify",
            dependencies: [
                "Notify", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "khm-bench",
            dependencies: [
                "TimeSeries", "Exporter", "PromQL", "Alerts", "KafkaSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Tests. TestSupport holds helpers shared by every test target (ports, processes, HTTP).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "TimeSeriesTests",
            dependencies: [
                "TimeSeries", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "ExporterTests",
            dependencies: ["Exporter", "CRdKafka", "TimeSeries", "KafkaSim", "TestSupport"]),
        .testTarget(
            name: "PromQLTests",
            dependencies: [
                "PromQL", "TimeSeries", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("testdata")]),
        .testTarget(
            name: "AlertsTests",
            dependencies: [
                "Alerts", "PromQL", "TimeSeries", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("conformance")]),
        .testTarget(
            name: "NotifyTests",
            dependencies: ["Notify", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "kafka-health-monitor", "Alerts", "PromQL", "TimeSeries", "Notify", "TestSupport",
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "KafkaSimTests",
            dependencies: [
                "KafkaSim", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
