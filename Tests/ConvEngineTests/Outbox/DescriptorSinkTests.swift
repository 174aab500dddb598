import Glibc
import Testing
import TestSupport
@testable import ConvEngine

/// Stdout may be non-blocking without convtui asking (a parent that shares its open file
/// description): a full pipe then answers `EAGAIN`, which means "later", not "the reader left".
@Suite struct DescriptorSinkTests {
    @Test func aFullNonBlockingPipeIsWaitedForNotGivenUpOn() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (reader, writer) = (ends[0], ends[1])
        defer { close(reader) }
        #expect(fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK) == 0)
        // Fill the pipe until the kernel says it is full.
        var filled = 0
        let chunk = [UInt8](repeating: 0x41, count: 4096)
        while true {
            let n = chunk.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            if n < 0 { break }
            filled += n
        }
        #expect(errno == EAGAIN)
        let expected = filled + (1 << 20)

        // Sixteen pipes' worth: the writer meets a full pipe again and again.
        let lines = [UInt8](repeating: 0x42, count: 1 << 20)
        let sink = DescriptorSink(descriptor: writer, name: "stdout")
        async let failure = onOwnThread { () -> SinkWriteError? in
            // The write end closes once the write is over, however it went: the reader sees the end.
            defer { close(writer) }
            do throws(SinkWriteError) {
                try sink.write(lines)
                return nil
            } catch {
                return error
            }
        }
        // The reader comes back only later: everything arrives, in order, and nothing failed.
        try await Task.sleep(for: .milliseconds(100))
        let received = await onOwnThread { () -> [UInt8] in
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                received += buffer[..<n]
            }
            return received
        }
        #expect(await failure == nil)
        #expect(received.count == expected)
        #expect(received.suffix(lines.count).allSatisfy { $0 == 0x42 })
    }
}
