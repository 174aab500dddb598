/// The keys of one kind of console (live sessions or a replay): each key is either a
/// ``ViewAction`` every console shares or one of this console's own actions, which
/// ``ConsoleUpdate`` turns into this console's ``Command``s through these members.
package protocol ConsoleKeys: Hashable, Sendable {
    /// What this console asks of its sessions or its clock.
    associatedtype Command: Equatable, Sendable

    /// A key that acts on the view.
    static func view(_ action: ViewAction) -> Self
    /// The view action of this key, nil when it is one of this console's own.
    var viewAction: ViewAction? { get }
    /// Carries out one of this console's own actions: the commands for the sessions, and
    /// what changes on screen (a notice, a prompt, a question).
    func perform(on model: inout AppModel) -> [Command]
    /// The commands for text typed at `prompt` and submitted with Enter.
    static func submitted(_ text: String, at prompt: ConsoleMode.Prompt, on model: inout AppModel) -> [Command]
    /// The commands for a key that edited the text at `prompt` (a typing notice).
    static func typing(at prompt: ConsoleMode.Prompt, on model: AppModel) -> [Command]
    /// The commands for `verb` on every session, once the operator said yes.
    static func confirmedAll(_ verb: LiveVerb, on model: inout AppModel) -> [Command]
}
