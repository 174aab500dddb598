/// How much an ``Outbox`` holds before it drops lines: `lines` not yet written per appender
/// (key), counting a write under way, and `bytes` queued in all, whichever is reached first.
///
/// This is also what a process killed with SIGKILL can lose beyond a torn last line: the lines
/// an outbox holds but its writer has not handed to the kernel yet.
public struct OutboxLimit: Sendable, Equatable {
    public var lines: Int
    public var bytes: Int

    public init(lines: Int, bytes: Int) {
        self.lines = lines
        self.bytes = bytes
    }

    /// A session log: 4,096 lines or 4 MiB waiting (about 40 s of a busy simulated session).
    public static let log = OutboxLimit(lines: 4096, bytes: 4 << 20)
    /// Headless stdout: 1,024 lines per session and 8 MiB in all waiting.
    public static let headless = OutboxLimit(lines: 1024, bytes: 8 << 20)
    /// A saved audio file (`--save-audio`): 4,096 chunks or 16 MiB of PCM waiting (minutes of
    /// a conversation's audio).
    public static let audio = OutboxLimit(lines: 4096, bytes: 16 << 20)
}
