/// Listening in on a pane's agent audio (`L`): what the console asks of the sound side.
package protocol ListenControl: Sendable {
    /// Plays pane `pane`'s agent audio (0-based), or nothing when nil.
    func listen(to pane: Int?)
    /// Why listening is impossible now (no sound server, say), nil when it is possible.
    var unavailableReason: String? { get }
}
