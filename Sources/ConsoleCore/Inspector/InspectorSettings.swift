import ConvEngine

/// What the event inspector shows of the focused session's event stream: the event types
/// hidden (`f`), a regex over type and payload (`F`), and where the list is held.
package struct InspectorSettings: Equatable, Sendable {
    /// Event types not shown.
    package var hidden: Set<String> = []
    /// Only events whose type or payload matches this are shown.
    package var pattern: TextPattern?
    /// The event on the bottom row, the selected one, by its number in the session's stream
    /// (1-based, ``BoundedRing/totalAppended`` counting); nil follows the newest, as `less +F`
    /// does. Scrolling up or pausing sets it, and new events then leave the list where it is.
    package var bottom: Int?

    package init() {}

    /// The numbers of the events shown (hidden types and the regex applied), oldest first.
    package func shown(_ events: BoundedRing<EventRecord>) -> [Int] {
        let matcher = pattern?.matcher()
        let first = events.totalAppended - events.count + 1
        var numbers: [Int] = []
        for (i, event) in events.enumerated() where !hidden.contains(event.type) {
            if let matcher, !matcher.matches(event.type + " " + event.summary) { continue }
            numbers.append(first + i)
        }
        return numbers
    }

    /// The types the `f` list offers: those in the stream and those hidden, sorted.
    package func typeChoices(_ events: BoundedRing<EventRecord>) -> [String] {
        var types = hidden
        for event in events { types.insert(event.type) }
        return types.sorted()
    }

    /// The event with number `number`, if the stream still holds it.
    package static func event(_ number: Int, in events: BoundedRing<EventRecord>) -> EventRecord? {
        let index = number - (events.totalAppended - events.count + 1)
        return events.indices.contains(index) ? events[index] : nil
    }
}
