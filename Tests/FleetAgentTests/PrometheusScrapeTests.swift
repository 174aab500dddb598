import ConvEngine
import FleetAgent
import Foundation
import Testing
import TestSupport

/// Debian's Prometheus, which `.ci/run` installs.
private let prometheusBinary = "/usr/bin/prometheus"

@Suite("A real Prometheus scraping two agents")
struct PrometheusScrapeTests {
    @Test(
        "Prometheus scrapes both agents with the read-only token and its queries match their sessions",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: prometheusBinary),
            "skipped: \(prometheusBinary) is missing (apt-get install prometheus; .ci/run installs it)"))
    func scrape() async throws {
        try await withAgent { first, firstPort in
            try await withAgent { second, secondPort in
                first.board.startAll()
                second.board.startAll()
                let prometheus = try PrometheusProcess(targets: [firstPort, secondPort], token: TestTokens.readOnly)
                defer { prometheus.stop() }
                #expect(await prometheus.eventually("count(up{job=\"convtui\"} == 1)") { $0 == 2 }, "\(prometheus.logTail())")
                #expect(await prometheus.eventually("sum(convtui_sessions{phase=\"live\"})") { $0 == 4 }, "\(prometheus.logTail())")
                // Stopping an agent's sessions shows in what Prometheus scraped from that agent alone.
                for session in first.board.sessions { #expect(session.stop()) }
                let firstInstance = "127.0.0.1:\(firstPort)"
                #expect(await prometheus.eventually("sum(convtui_sessions{phase=\"ended\",instance=\"\(firstInstance)\"})") { $0 == 2 })
                #expect(await prometheus.eventually("sum(convtui_sessions{phase=\"live\"})") { $0 == 2 })
                // The first agent's events no longer move: Prometheus ends on exactly its counters.
                let eventsIn = first.board.sessions.map(\.snapshot.state.counters.eventsIn).reduce(0, +)
                #expect(
                    await prometheus.eventually("sum(convtui_events_in_total{instance=\"\(firstInstance)\"})") { $0 == Double(eventsIn) },
                    "agent 1 received \(eventsIn) events")
            }
        }
    }
}

/// A Prometheus server on a free loopback port, with its own config and storage in a
/// temporary directory, scraping `targets` every second with `token`.
private final class PrometheusProcess: Sendable {
    let process: Process
    let port: Int
    let directory: String

    init(targets: [Int], token: String) throws {
        directory = makeTemporaryDirectory("convtui-prometheus")
        let tokenPath = directory + "/token"
        guard FileManager.default.createFile(atPath: tokenPath, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw HTTPTestError("cannot write \(tokenPath)")
        }
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: convtui
                scrape_interval: 1s
                authorization:
                  credentials_file: \(tokenPath)
                static_configs:
                  - targets: [\(targets.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", "))]

            """
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: prometheusBinary)
        process.arguments = [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        guard FileManager.default.createFile(atPath: directory + "/prometheus.log", contents: nil) else {
            throw HTTPTestError("cannot create the Prometheus log")
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/prometheus.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The last lines Prometheus logged, for a failure message.
    func logTail() -> String {
        let text = (try? String(contentsOfFile: directory + "/prometheus.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(8).joined(separator: "\n")
    }

    /// Whether the scalar value of `query` comes to satisfy `condition` within a minute.
    func eventually(_ query: String, _ condition: @escaping (Double) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if let value = await value(of: query), condition(value) { return true }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return false
    }

    /// The first sample of `query`'s instant vector, if it has one.
    private func value(of query: String) async -> Double? {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        guard let reply = try? await LoopbackHTTP(port: port).get("/api/v1/query?query=\(encoded)"), reply.status == 200,
            let json = try? JSONParser.parse(reply.body), let sample = json["data"]?["result"]?.arrayValue?.first,
            let text = sample["value"]?.arrayValue?.last?.stringValue
        else { return nil }
        return Double(text)
    }

    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw HTTPTestError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
