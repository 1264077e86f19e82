/// Cell numbering for the simulation grid.
///
/// The map is stored with a one-cell wall border, so a step or a blast ray leaving
/// the map meets a wall and the hot loops need no bounds checks. Map cell `(x, y)`
/// is index `(y + 1) * stride + (x + 1)`.
struct BlastBoard: Hashable, Sendable {
    let width: Int
    let height: Int
    /// Width of the padded grid.
    let stride: Int
    /// Number of cells of the padded grid.
    let cellCount: Int
    /// Index change of one step up, right, down and left: the order blast rays go in.
    /// Stored, so hot loops build no array.
    let deltas: [Int]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        stride = width + 2
        cellCount = (width + 2) * (height + 2)
        deltas = [-(width + 2), 1, width + 2, -1]
    }

    /// The padded index of map cell (x, y).
    @inline(__always)
    func cell(x: Int, y: Int) -> Int { (y + 1) * stride + (x + 1) }

    /// The map coordinates of a padded index.
    func coordinates(of cell: Int) -> (x: Int, y: Int) { (cell % stride - 1, cell / stride - 1) }

    /// Index change of one step in `direction`.
    @inline(__always)
    func delta(_ direction: BlastDirection) -> Int {
        switch direction {
        case .up: -stride
        case .right: 1
        case .down: stride
        case .left: -1
        }
    }

    /// The neighbour of `cell` one step in `direction`.
    @inline(__always)
    func step(_ cell: Int, _ direction: BlastDirection) -> Int { cell + delta(direction) }
}
