/// Cell numbering for the simulation grid.
///
/// The map is stored with a one-cell wall border around it, so a head stepping
/// off any edge lands on a wall and the hot loop needs no bounds checks. Cell
/// `(x, y)` of the map is index `(y + 1) * stride + (x + 1)`; index 0 is a border
/// cell and so never holds food or a snake, which lets 0 mean "no cell".
struct BoardGeometry: Hashable, Sendable {
    let width: Int
    let height: Int
    /// Width of the padded grid.
    let stride: Int
    /// Number of cells of the padded grid.
    let cellCount: Int
    /// Index change of one step, by `Direction.rawValue - 1`: a lookup rather than a
    /// `switch`, whose jump mispredicts on every snake's turn.
    let deltas: SIMD4<Int>

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        stride = width + 2
        cellCount = (width + 2) * (height + 2)
        deltas = SIMD4(-stride, 1, stride, -1)
    }

    /// The padded index of map cell (x, y).
    @inline(__always)
    func cell(x: Int, y: Int) -> Int { (y + 1) * stride + (x + 1) }

    /// The map coordinates of a padded index (border cells give -1 or width/height).
    func coordinates(of cell: Int) -> (x: Int, y: Int) { (cell % stride - 1, cell / stride - 1) }

    /// The neighbour of `cell` one step in `direction`.
    @inline(__always)
    func step(_ cell: Int, _ direction: Direction) -> Int { cell &+ deltas[Int(direction.rawValue) &- 1] }
}

/// What occupies a grid cell. Snakes are `slot + 1` (1...16), so one byte says
/// whose body a head ran into.
enum CellCode {
    static let floor: UInt8 = 0
    static let food: UInt8 = 0xFE
    static let wall: UInt8 = 0xFF

    @inline(__always) static func snake(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: index + 1) }
    /// Whether `code` is part of some snake.
    @inline(__always) static func isSnake(_ code: UInt8) -> Bool { code != floor && code < food }
    /// The slot index of a snake code.
    @inline(__always) static func owner(_ code: UInt8) -> Int { Int(code) - 1 }
}
