import Foundation
import TestSupport

/// A Linux network namespace joined to this one by a veth pair, so that traffic to a process
/// inside it crosses a real interface, which can be cut (`partition()`) like a lost network.
/// Needs root and `ip` (iproute2); ``isAvailable`` says whether this sandbox allows it.
final class NetworkNamespace: Sendable {
    static let ipTool = "/bin/ip"

    /// Whether namespaces and veth pairs can be made here (root, a kernel and sandbox that allow it).
    static let isAvailable: Bool = {
        let probe = "cvt-probe-\(getpid())"
        defer { _ = try? run(["netns", "delete", probe]) }
        guard (try? run(["netns", "add", probe])) == 0 else { return false }
        defer { _ = try? run(["link", "delete", probe + "h"]) }
        return (try? run(["link", "add", probe + "h", "type", "veth", "peer", "name", probe + "n"])) == 0
    }()

    /// The namespace's name, for `ip netns exec`.
    let name: String
    /// The address of the namespace's end of the link (this side is `…​.1`).
    let address: String
    private let hostLink: String

    /// Makes namespace number `index` (1–250, unique among those alive at once) with the link
    /// `10.77.index.1` (here) – `10.77.index.2` (inside).
    init(index: Int) throws {
        name = "cvt-\(getpid())-\(index)"
        hostLink = "cvt\(getpid() % 100_000)h\(index)"
        let inside = "cvt\(getpid() % 100_000)n\(index)"
        address = "10.77.\(index).2"
        let steps: [[String]] = [
            ["netns", "add", name],
            ["link", "add", hostLink, "type", "veth", "peer", "name", inside],
            ["link", "set", inside, "netns", name],
            ["addr", "add", "10.77.\(index).1/24", "dev", hostLink],
            ["link", "set", hostLink, "up"],
            ["netns", "exec", name, Self.ipTool, "addr", "add", address + "/24", "dev", inside],
            ["netns", "exec", name, Self.ipTool, "link", "set", inside, "up"],
            ["netns", "exec", name, Self.ipTool, "link", "set", "lo", "up"],
        ]
        for step in steps {
            guard try Self.run(step) == 0 else {
                remove()
                throw HTTPTestError("ip \(step.joined(separator: " ")) failed")
            }
        }
    }

    /// Cuts the link: packets either way are lost, nothing is closed (a partition).
    func partition() throws {
        guard try Self.run(["link", "set", hostLink, "down"]) == 0 else { throw HTTPTestError("cannot take \(hostLink) down") }
    }

    /// Restores the link.
    func heal() throws {
        guard try Self.run(["link", "set", hostLink, "up"]) == 0 else { throw HTTPTestError("cannot bring \(hostLink) up") }
    }

    /// Deletes the link and the namespace (the processes inside should be gone first).
    func remove() {
        _ = try? Self.run(["link", "delete", hostLink])
        _ = try? Self.run(["netns", "delete", name])
    }

    /// Runs `ip ARGUMENTS` and returns its exit status.
    @discardableResult
    private static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ipTool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
