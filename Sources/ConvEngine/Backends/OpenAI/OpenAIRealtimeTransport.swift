import HTTPTypes

/// Builds transports for OpenAI Realtime models.
public enum OpenAIRealtimeTransport {
    /// A factory for sessions talking to `options`' model.
    public static func factory(
        _ options: OpenAIRealtimeOptions, settings: WebSocketTransport<OpenAIRealtimeConversation>.Settings
    ) -> TransportFactory {
        let target = endpoint(options)
        return { context in
            WebSocketTransport(
                context: context, settings: settings, endpoint: { target },
                makeConversation: { OpenAIRealtimeConversation(options: options) })
        }
    }

    /// The URL and headers; the key travels only in `Authorization`.
    static func endpoint(_ options: OpenAIRealtimeOptions) -> WebSocketEndpoint {
        var headers = HTTPFields()
        if let key = options.apiKey { headers[.authorization] = "Bearer \(key)" }
        if options.dialect == .beta, let beta = HTTPField.Name("OpenAI-Beta") { headers[beta] = "realtime=v1" }
        return WebSocketEndpoint(url: options.realtimeURL, headers: headers, carriesCredential: options.apiKey != nil)
    }
}
