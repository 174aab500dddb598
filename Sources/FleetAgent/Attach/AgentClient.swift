import ConvEngine
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An agent's HTTP API as an attached console uses it: the session list, once, and control
/// requests. Each client has its own ephemeral `URLSession`, so one agent's slow answers
/// never queue behind another's.
public final class AgentClient: AgentControl {
    /// `http://host:port` or `https://host:port`.
    public let base: String
    private let token: String
    private let session: URLSession

    public init(address: AgentAddress, token: String, timeout: TimeInterval = 10) {
        base = address.httpBase
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Why a request to the agent did not give an answer to use.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The agent's sessions (`GET /v1/sessions`), in its order.
    public func sessions() async throws(Failure) -> [RemoteAgent.Listed] {
        let (status, body) = try await send("GET", "/v1/sessions", body: nil)
        guard status == 200 else { throw Failure(description: Self.refusal(status, body)) }
        guard let listed = (try? JSONParser.parse(body))?["sessions"]?.arrayValue else {
            throw Failure(description: "its session list is not the JSON an agent sends")
        }
        return try listed.map { entry throws(Failure) in
            guard let number = entry["number"]?.intValue, let name = entry["name"]?.stringValue else {
                throw Failure(description: "a session in its list has no number or name")
            }
            return RemoteAgent.Listed(number: number, name: TextSanitizer.sanitize(name))
        }
    }

    public func perform(_ request: ControlRequest, session number: Int) async -> String? {
        var body: [UInt8] = []
        JSONWriter.write(request.body, into: &body)
        do {
            let (status, answer) = try await send("POST", "/v1/sessions/\(number)/\(request.action)", body: body)
            return status == 200 ? nil : Self.refusal(status, answer)
        } catch {
            return error.description
        }
    }

    private func send(_ method: String, _ path: String, body: [UInt8]?) async throws(Failure) -> (Int, [UInt8]) {
        guard let url = URL(string: base + path) else { throw Failure(description: "\(base + path) is not a URL") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body)
        }
        do {
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, Array(data))
        } catch {
            // The token is in a header, never in the URL or the error: the message is safe to show.
            throw Failure(description: "\(base) cannot be reached: \(error.localizedDescription)")
        }
    }

    /// The agent's `{"error":"…"}`, or the status when it sent none.
    private static func refusal(_ status: Int, _ body: [UInt8]) -> String {
        let message = (try? JSONParser.parse(body))?["error"]?.stringValue.map(TextSanitizer.sanitize)
        return message.map { "\($0) (HTTP \(status))" } ?? "the agent answered HTTP \(status)"
    }
}
