/// The latest user and agent levels of every session, for the panes' meters.
///
/// Fed where the audio passes (agent audio on the transports' event loops, user audio in the
/// session's send path): one level computation and a short lock per chunk, nothing that
/// blocks. A level holds for its chunk's duration (at least ``holdMilliseconds``), so a
/// meter falls back to empty when a side stops speaking.
public final class LevelMeters: Sendable {
    /// Which side of a conversation a level is of.
    public enum Side: Sendable {
        case user, agent
    }

    /// What a pane's meters show now; a side is nil when it has not been heard lately.
    public struct Reading: Sendable, Equatable {
        public var user: Double?
        public var agent: Double?

        public init(user: Double? = nil, agent: Double? = nil) {
            self.user = user
            self.agent = agent
        }

        /// Both sides audible at once: the agent talks over the caller, or the reverse.
        public var isTalkOver: Bool {
            guard let user, let agent else { return false }
            return user > LevelMeters.speechThreshold && agent > LevelMeters.speechThreshold
        }
    }

    /// Quieter than this is not speech (for talk-over): room noise, comfort noise, silence.
    public static var speechThreshold: Double { -50 }
    public static var holdMilliseconds: Int { 300 }

    private struct Level {
        var value: Double
        var until: ContinuousClock.Instant
    }

    private let levels = Locked<[Int: (user: Level?, agent: Level?)]>([:])

    public init() {}

    /// Records `chunk`, just heard from `side` of session `number`.
    public func record(_ chunk: AudioChunk, side: Side, session number: Int, at now: ContinuousClock.Instant = .now) {
        let level = Level(
            value: AudioLevel.dBFS(chunk.samples), until: now + .milliseconds(max(Self.holdMilliseconds, chunk.durationMilliseconds)))
        levels.withLock { all in
            var entry = all[number] ?? (nil, nil)
            switch side {
            case .user: entry.user = level
            case .agent: entry.agent = level
            }
            all[number] = entry
        }
    }

    /// Every session's levels at `now`, by session number (one lock for all).
    public func readings(at now: ContinuousClock.Instant = .now) -> [Int: Reading] {
        levels.withLock { all in all.mapValues { Self.reading($0, at: now) } }
    }

    private static func reading(_ entry: (user: Level?, agent: Level?), at now: ContinuousClock.Instant) -> Reading {
        Reading(user: entry.user.flatMap { $0.until > now ? $0.value : nil }, agent: entry.agent.flatMap { $0.until > now ? $0.value : nil })
    }

    /// Session `number`'s levels at `now`.
    public func reading(session number: Int, at now: ContinuousClock.Instant = .now) -> Reading {
        levels.withLock { all in all[number].map { Self.reading($0, at: now) } ?? Reading() }
    }
}
