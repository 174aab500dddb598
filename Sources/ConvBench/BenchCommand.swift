import ArgumentParser

/// `convtui-bench`: the performance benchmarks. `scripts/bench.sh` runs them in release
/// builds, repeats each, and records the medians in BENCHMARKS.md.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convtui-bench",
        abstract: "Measure convtui's performance targets; prints one JSON line per run.",
        subcommands: [EngineScaleBenchmark.self, StopLatencyBenchmark.self, LogsBenchmark.self, StatsBenchmark.self, FleetBenchmark.self, FoldCostBenchmark.self, BenchViewCommand.self]
    )
}
