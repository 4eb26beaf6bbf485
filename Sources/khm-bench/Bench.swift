import ArgumentParser

/// `khm-bench`: the benchmarks named in the README. Run them on a release build.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "khm-bench", abstract: "Benchmarks (use a release build).",
        subcommands: [
            TimeSeriesBench.self,
            ExporterBench.self,
            KafkaSimBench.self,
            PromQLBench.self,
            AlertsBench.self,
        ])
}
