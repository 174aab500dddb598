/// Who typed a `user_message`: the caller's side of the conversation (a config's script), or
/// the operator watching it (the console's input line, headless `send`). Panes show the
/// operator's as `op:`, exports as `operator`, so a reader can tell them from the caller's.
public enum MessageOrigin: String, Sendable, CaseIterable {
    case caller
    case `operator`
}
