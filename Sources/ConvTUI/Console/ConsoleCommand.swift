/// Something the operator asked the sessions to do; ``update`` returns these and the runtime
/// hands them to the ``ConsoleDriver``. Panes are 0-based indexes.
enum ConsoleCommand: Equatable, Sendable {
    case start(pane: Int)
    case stop(pane: Int)
    case restart(pane: Int)
    case send(pane: Int, text: String)
    case startAll
    case stopAll
}
