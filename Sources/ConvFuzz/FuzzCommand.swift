import ArgumentParser
import Foundation

/// `convtui-fuzz TARGET`: feeds a parser a million seeded, mutated inputs and fails on a
/// crash or an input that takes longer than its time budget. See docs/reliability.md.
@main
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convtui-fuzz",
        abstract: "Seeded mutation fuzzing of convtui's parsers (json, elevenlabs, openai, config, log) and of the sessions the wire decoders feed (elevenlabs-session, openai-session).")

    @Argument(help: "The parser to fuzz: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: String

    @Option(name: .customLong("corpus"), help: "A seed file or a directory of seed files (repeatable).")
    var corpus: [String] = []

    @Option(help: "Inputs to try.")
    var iterations: UInt64 = 1_000_000

    @Option(help: "Seed of the run: the same seed and corpus give the same inputs.")
    var seed: UInt64 = 1

    @Option(help: "Fail when one input takes longer than this many milliseconds.")
    var budgetMs: Int = 2000

    @Option(help: "Largest input in bytes.")
    var maxLength: Int = 256 * 1024

    @Option(help: "Keep the number of the input being tried in this file (8 bytes, little endian), so a crash names its input.")
    var progress: String?

    @Option(help: "Try only input number N (to reproduce a crasher).")
    var only: UInt64?

    @Option(help: "With --only: write that input to this file instead of running it.")
    var dump: String?

    mutating func run() throws {
        guard let target = FuzzTarget(rawValue: target) else {
            throw ValidationError("unknown target \(target)")
        }
        let seeds = try SeedCorpus.load(corpus, extensions: target.seedExtensions)
        guard !seeds.isEmpty else { throw ValidationError("no seed files for \(target.rawValue) in \(corpus)") }
        let mutator = Mutator(seeds: seeds, maxLength: maxLength)
        let scratch = NSTemporaryDirectory() + "convtui-fuzz-\(getpid())-\(target.rawValue)"
        defer { unlink(scratch) }
        if let only {
            let input = mutator.input(only, runSeed: seed)
            if let dump {
                _ = FileManager.default.createFile(atPath: dump, contents: Data(input))
            } else {
                target.run(input, scratchPath: scratch)
            }
            return
        }
        let watchdog = FuzzWatchdog(budget: .milliseconds(budgetMs), target: target.rawValue, seed: seed)
        watchdog.start()
        // A crash ends the process at once; a pwrite per input leaves its number in the page cache.
        let progressFile = progress.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o600) } ?? -1
        defer { if progressFile >= 0 { close(progressFile) } }
        let clock = ContinuousClock()
        let started = clock.now
        var slowest: Duration = .zero
        for index in 0..<iterations {
            let input = mutator.input(index, runSeed: seed)
            if progressFile >= 0 {
                var littleEndian = index.littleEndian
                _ = pwrite(progressFile, &littleEndian, 8, 0)
            }
            watchdog.begin(index)
            let inputStarted = clock.now
            target.run(input, scratchPath: scratch)
            slowest = max(slowest, clock.now - inputStarted)
            watchdog.end()
            if index > 0, index % 100_000 == 0 {
                FileHandle.standardError.write(Data("\(target.rawValue): \(index) inputs, \(clock.now - started)\n".utf8))
            }
        }
        print("\(target.rawValue): \(iterations) inputs from \(seeds.count) seeds (run seed \(seed)) in \(clock.now - started), slowest \(slowest), no crash, no hang")
    }
}
