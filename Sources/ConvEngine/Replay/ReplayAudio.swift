import Foundation

/// A replayed log's saved audio (`--save-audio`): the agent's and the user's, each put back on
/// the log's time (``ReplayAudioTrack``), for the meters and for listening in to a replay.
///
/// Only where each piece sits and how loud it was is kept; the samples are read again from
/// the files when the pane is listened to (``samples(of:)``), so a replay of many logs holds
/// no audio in memory.
public struct ReplayAudio: Sendable {
    public let files: SavedAudioFiles
    public let agent: ReplayAudioTrack?
    public let user: ReplayAudioTrack?
    /// What could not be read (a damaged WAV file), for the pane's note.
    public let problems: [String]

    /// The audio saved beside the log at `logPath`; nil when there is none (the log was not
    /// recorded with `--save-audio`, or is not a readable log).
    public static func load(logPath: String) -> ReplayAudio? {
        let files = SavedAudioFiles(logPath: logPath)
        let present = [LevelMeters.Side.agent, .user].filter { FileManager.default.fileExists(atPath: files.path(of: $0)) }
        guard !present.isEmpty else { return nil }
        var agentEntries: [ReplayAudioTrack.Entry] = []
        var userEntries: [ReplayAudioTrack.Entry] = []
        do {
            _ = try SessionLogReader.forEachEvent(path: logPath) { event in
                switch event.kind {
                case .agentAudio(let id, let bytes, let ms): agentEntries.append(.audio(offset: event.offset, eventId: id, bytes: bytes, ms: ms))
                case .userAudio(let bytes, let ms): userEntries.append(.audio(offset: event.offset, eventId: nil, bytes: bytes, ms: ms))
                case .interruption(let id): agentEntries.append(.interruption(offset: event.offset, eventId: id))
                case .runStarted: agentEntries.append(.runStarted)
                default: break
                }
            }
        } catch {
            return nil
        }
        var problems: [String] = []
        func track(_ side: LevelMeters.Side, _ entries: [ReplayAudioTrack.Entry]) -> ReplayAudioTrack? {
            guard present.contains(side) else { return nil }
            do {
                let audio = try read(files.path(of: side))
                return ReplayAudioTrack(entries: entries, samples: audio.samples, sampleRate: audio.sampleRate, dropsStale: side == .agent)
            } catch {
                problems.append("\(side) audio: \(error)")
                return nil
            }
        }
        let agent = track(.agent, agentEntries)
        let user = track(.user, userEntries)
        return ReplayAudio(files: files, agent: agent, user: user, problems: problems)
    }

    /// The track of `side`, if its file was read.
    public func track(_ side: LevelMeters.Side) -> ReplayAudioTrack? {
        switch side {
        case .agent: agent
        case .user: user
        }
    }

    /// The levels the live meters showed at `offset` (µs on the log's offsets).
    public func levels(at offset: Int64) -> LevelMeters.Reading {
        LevelMeters.Reading(user: user?.level(at: offset), agent: agent?.level(at: offset))
    }

    /// The samples of `side`'s file, read again (for listening in).
    public func samples(of side: LevelMeters.Side) throws(WAVFile.FormatError) -> [Int16] {
        try Self.read(files.path(of: side)).samples
    }

    private static func read(_ path: String) throws(WAVFile.FormatError) -> AudioChunk {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WAVFile.FormatError(message: "cannot read \(path)")
        }
        return try WAVFile.decode([UInt8](data))
    }
}
