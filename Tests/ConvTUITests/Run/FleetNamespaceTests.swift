import ConvEngine
import Foundation
import Testing
import TestSupport

/// Two `convtui agent`s, each in a network namespace of its own behind a veth pair, followed by
/// one `convtui attach` here: the traffic crosses real interfaces, and one link is cut and
/// restored like a lost network.
@Suite(
    "fleet across network namespaces", .serialized,
    .enabled(if: NetworkNamespace.isAvailable, "network namespaces are not available here (root and iproute2 needed)"))
struct FleetNamespaceTests {
    private static let token = "fleet-netns-token-0123456789"

    @Test func aPartitionedAgentIsLostAloneAndResumesWithoutGapOrRepeat() async throws {
        let directory = makeTemporaryDirectory("convtui-netns")
        let config = directory + "/fleet.toml"
        try "[[session]]\nname = \"ava\"\nbackend = \"sim\"\n\n[[session]]\nname = \"lina\"\nbackend = \"sim\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let tokenFile = directory + "/control.token"
        #expect(FileManager.default.createFile(atPath: tokenFile, contents: Data(Self.token.utf8), attributes: [.posixPermissions: 0o600]))
        // Subnets by process, so that two test runs at once do not share addresses.
        let base = 1 + Int(getpid() % 120) * 2
        let spaces = try [NetworkNamespace(index: base), NetworkNamespace(index: base + 1)]
        defer { for space in spaces { space.remove() } }
        let agents = try spaces.map { space in
            try ConvtuiProcess(
                ["agent", config, "--listen", "\(space.address):7070", "--token-file", tokenFile, "--insecure", "--no-record"],
                namespace: space.name)
        }
        defer { for agent in agents { agent.signal(SIGKILL) } }
        let hosts = spaces.map { "\($0.address):7070" }
        let attach = try ConvtuiProcess(
            ["attach", "--headless", "--insecure", "--silence-timeout", "2"] + hosts.map { "http://\($0)" },
            environment: ["CONVTUI_TOKEN": Self.token])
        defer { attach.signal(SIGKILL) }
        let lines = { (host: String) in attach.jsonLines.filter { $0["host"] as? String == host } }
        let sequence = { (host: String) in lines(host).compactMap { $0["seq"] as? Int } }

        #expect(await eventually(timeout: .seconds(60)) { hosts.allSatisfy { sequence($0).count >= 5 } }, "both agents' events arrive")
        // Attach may have started before an agent listened (refused, then retried): only what
        // comes after the cut counts.
        let before = hosts.map { lines($0).count }
        try spaces[0].partition()
        let lostLine = { lines(hosts[0]).dropFirst(before[0]).first { $0["type"] as? String == "host_unreachable" } }
        #expect(await eventually(timeout: .seconds(30)) { lostLine() != nil }, "the cut agent is said unreachable")
        let reason = lostLine()?["reason"] as? String ?? ""
        #expect(reason.hasPrefix("silent for "), "\(reason)")
        let otherBefore = sequence(hosts[1]).count
        #expect(await eventually(timeout: .seconds(30)) { sequence(hosts[1]).count >= otherBefore + 5 }, "the other agent carries on")
        #expect(!lines(hosts[1]).dropFirst(before[1]).contains { $0["type"] as? String == "host_unreachable" })

        try spaces[0].heal()
        let cutAt = sequence(hosts[0]).count
        #expect(await eventually(timeout: .seconds(60)) { sequence(hosts[0]).count >= cutAt + 5 }, "the agent is followed again once the link is back")
        let resumed = sequence(hosts[0])
        #expect(resumed == Array(resumed[0]..<(resumed[0] + resumed.count)), "no event lost or repeated across the partition")
        #expect(lines(hosts[0]).filter { $0["type"] as? String == "host_connected" }.allSatisfy { $0["missed"] as? Int == 0 })

        attach.signal(SIGTERM)
        #expect(await attach.waitForExit() == 0)
        for agent in agents { agent.signal(SIGTERM) }
        for agent in agents { #expect(await agent.waitForExit() == 0, "\(agent.stderr)") }
    }
}
