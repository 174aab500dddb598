import Glibc

/// Polls `condition` every few milliseconds (or every `interval`, for a costly condition)
/// until it holds or `timeout` passes; returns whether it held. Tests wait on observable state
/// this way instead of sleeping a fixed time. The default is generous: the whole suite runs in
/// parallel on 2 cores, where a condition that holds in milliseconds alone can take seconds.
public func eventually(
    timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(3), _ condition: () -> Bool
) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return condition()
}

/// A fresh private (0700) temporary directory, named after `label`.
public func makeTemporaryDirectory(_ label: String = "convtui-test") -> String {
    var template = Array("/tmp/\(label)-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
}
