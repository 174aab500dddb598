import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The agent's request context: Hummingbird's, plus the connection's channel, so a watcher
/// that stopped reading can have its socket closed from outside its stuck writer.
public struct AgentRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
