import ConvEngine

/// Listening in on a pane's audio (`L`, `H`): what the console asks of the sound side.
package protocol ListenControl: Sendable {
    /// Plays pane `pane`'s audio of `hearing` (0-based), or nothing when nil.
    func listen(to pane: Int?, hearing: ListenSource)
    /// Why listening is impossible now (no sound server, say), nil when it is possible.
    var unavailableReason: String? { get }
}
