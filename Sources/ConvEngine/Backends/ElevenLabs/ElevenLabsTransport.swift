import Foundation
import HTTPTypes

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Builds transports for ElevenLabs agents.
public enum ElevenLabsTransport {
    /// A factory for sessions talking to `options`' agent.
    public static func factory(_ options: ElevenLabsOptions, settings: WebSocketTransport<ElevenLabsConversation>.Settings) -> TransportFactory {
        { context in
            WebSocketTransport(
                context: context, settings: settings,
                endpoint: { try await endpoint(options, allowInsecure: settings.allowInsecure) },
                makeConversation: { ElevenLabsConversation(options: options) })
        }
    }

    /// The public URL, or with an API key a freshly signed one (the key goes only to the
    /// signing request, in `xi-api-key`).
    static func endpoint(_ options: ElevenLabsOptions, allowInsecure: Bool) async throws -> WebSocketEndpoint {
        guard let key = options.apiKey else { return WebSocketEndpoint(url: options.conversationURL) }
        let signer = WebSocketEndpoint(url: options.signedURLEndpoint, carriesCredential: true)
        try signer.checkSecurity(allowInsecure: allowInsecure)
        return WebSocketEndpoint(url: try await fetchSignedURL(from: options.signedURLEndpoint, key: key))
    }

    /// Asks the server for a signed WebSocket URL.
    static func fetchSignedURL(from address: String, key: String) async throws -> String {
        guard let url = URL(string: address) else { throw TransportError("invalid signed-URL address") }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.setValue(key, forHTTPHeaderField: "xi-api-key")
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw TransportError("signed URL request failed with HTTP \(status)") }
        guard let body = try? JSONParser.parse([UInt8](data)), let signed = body["signed_url"]?.stringValue else {
            throw TransportError("signed URL response without signed_url")
        }
        return signed
    }
}
