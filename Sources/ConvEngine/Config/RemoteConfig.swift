/// A `[[remote]]` table: an agent whose sessions a console shows beside its own.
public struct RemoteConfig: Sendable, Equatable {
    /// Keys a `[[remote]]` table may set.
    static let keys: Set<String> = ["url", "token_env", "insecure"]

    /// Where the agent listens (`url`).
    public let address: AgentAddress
    /// The token, read from the environment variable `token_env` names (`CONVTUI_TOKEN` by default).
    public let token: Secret
    /// Plain `http://` off loopback is allowed (`insecure = true`): the token travels in the clear.
    public let insecure: Bool

    public init(address: AgentAddress, token: Secret, insecure: Bool = false) {
        self.address = address
        self.token = token
        self.insecure = insecure
    }
}
