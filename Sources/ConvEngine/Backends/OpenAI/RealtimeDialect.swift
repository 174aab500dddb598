/// Which naming of the OpenAI Realtime protocol a server speaks (docs/backends.md, "Wire facts": GA vs beta).
public enum RealtimeDialect: String, Sendable, Equatable, CaseIterable {
    case ga
    case beta
}
