/// How the session table is sorted and filtered (part of the ``AppModel``).
package struct TableSettings: Equatable, Sendable {
    /// Index into ``SessionColumn/all``.
    package var sortColumn = 0
    package var descending = false
    /// Only sessions matching this show; `phase:NAME` matches the phase alone.
    package var filter: TextPattern?

    package init(sortColumn: Int = 0, descending: Bool = false, filter: TextPattern? = nil) {
        self.sortColumn = sortColumn
        self.descending = descending
        self.filter = filter
    }
}
