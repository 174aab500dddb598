/// A rectangle of cells on the screen; layout is arithmetic on these.
struct Rect: Equatable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    var maxX: Int { x + width }
    var maxY: Int { y + height }

    /// The rectangle shrunk by `by` cells on every side.
    func inset(_ by: Int) -> Rect {
        Rect(x: x + by, y: y + by, width: max(0, width - 2 * by), height: max(0, height - 2 * by))
    }
}

/// The terminal's size in cells.
struct ScreenSize: Equatable, Sendable {
    var width: Int
    var height: Int
}
