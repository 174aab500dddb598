@testable import ConvEngine
import Foundation
import Glibc
import Testing
import TestSupport

/// WAV reading and writing, resampling and base64 lengths.
@Suite struct AudioTests {
    @Test func wavRoundTripAndStereoMixDown() throws {
        let mono = AudioChunk(samples: [0, 1000, -1000, 32767], sampleRate: 22050)
        #expect(try WAVFile.decode(WAVFile.encode(mono)) == mono)
        var header = WAVFile.header(sampleRate: 8000, dataBytes: 8)
        header[22] = 2
        header[32] = 4
        let stereo = AudioChunk(samples: [100, 300, -200, -400], sampleRate: 8000).pcm
        #expect(try WAVFile.decode(header + stereo) == AudioChunk(samples: [200, -300], sampleRate: 8000))
    }

    @Test func wavErrors() {
        #expect(throws: WAVFile.FormatError.self) { try WAVFile.decode(Array("not a wav file at all".utf8)) }
        var eightBit = WAVFile.header(sampleRate: 8000, dataBytes: 0)
        eightBit[34] = 8
        #expect(throws: WAVFile.FormatError(message: "8-bit samples; only 16-bit PCM is supported")) { try WAVFile.decode(eightBit) }
    }

    @Test func resamplingKeepsDuration() {
        let second = AudioChunk(samples: Array(repeating: 500, count: 44100), sampleRate: 44100)
        let converted = Resampler.convert(second, to: 16000)
        #expect(converted.sampleRate == 16000)
        #expect(converted.sampleCount == 16000)
        #expect(converted.samples.allSatisfy { $0 == 500 })
        #expect(Resampler.convert(second, to: 44100) == second)
    }

    @Test func base64Lengths() {
        for count in 0..<10 {
            let bytes = [UInt8](repeating: 7, count: count)
            #expect(Base64.decodedLength(Base64.encode(bytes)) == count)
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }
}

/// `--save-audio`: a valid WAV file at every moment.
@Suite struct AudioFileRecorderTests {
    @Test func writesAValidGrowingWAVFile() throws {
        let path = "/tmp/convtui-recorder-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max)).wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = AudioFileRecorder(path: path)
        recorder.append(AudioChunk(samples: [1, 2, 3, 4], sampleRate: 16000))
        #expect(try WAVFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path)))).samples == [1, 2, 3, 4])
        // A chunk at another rate is brought to the file's rate.
        recorder.append(AudioChunk(samples: Array(repeating: 9, count: 8), sampleRate: 32000))
        let audio = try WAVFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(audio.sampleRate == 16000)
        #expect(audio.samples == [1, 2, 3, 4, 9, 9, 9, 9])
        #expect(recorder.seconds == 0.0005)
        recorder.close()
    }

    /// A session's recorder only queues: the chunk arrives on an event loop that every session
    /// shares, and the disk (here a FIFO nobody reads, whose open never returns) is the log
    /// writer's to wait for.
    @Test func aSessionsRecorderNeverWaitsForTheDisk() async throws {
        let path = "/tmp/convtui-recorder-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max)).fifo"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let writer = OutboxWriter(name: "test-audio-writer", linger: .milliseconds(1))
        defer { writer.stop() }
        let recorder = AudioFileRecorder(path: path, writer: writer)
        let appended = Locked(0)
        Thread {
            for _ in 1...3 {
                recorder.append(AudioChunk(samples: [1, 2, 3, 4], sampleRate: 16000))
                appended.withLock { $0 += 1 }
            }
        }.start()
        #expect(await eventually { appended.withLock { $0 } == 3 }, "appending waited for the disk")
        #expect(recorder.seconds == 0.00075)
        // A reader lets the writer's open return; a FIFO takes no pwrite (ESPIPE), so the
        // recording stops, quietly, and closing does not wait.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        await recorder.close(within: .seconds(10))
    }

    @Test func aSessionsRecorderWritesTheSameFileOnItsWritersThread() async throws {
        let path = "/tmp/convtui-recorder-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max)).wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = OutboxWriter(name: "test-audio-writer")
        defer { writer.stop() }
        let recorder = AudioFileRecorder(path: path, writer: writer)
        recorder.append(AudioChunk(samples: [1, 2, 3, 4], sampleRate: 16000))
        recorder.append(AudioChunk(samples: Array(repeating: 9, count: 8), sampleRate: 32000))
        await recorder.close(within: .seconds(10))
        let audio = try WAVFile.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(audio.sampleRate == 16000 && audio.samples == [1, 2, 3, 4, 9, 9, 9, 9])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
