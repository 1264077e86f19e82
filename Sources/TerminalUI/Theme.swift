import CNCurses

/// Maps paints to curses colour pairs and attributes, or to attributes alone on a
/// monochrome terminal (or when NO_COLOR asks for none).
struct Theme {
    let colour: Bool
    private var pairs: [Paint: Int16] = [:]

    init(colour: Bool, colourCount: Int) {
        self.colour = colour
        guard colour else { return }
        var next: Int16 = 1
        func define(_ paint: Paint, _ foreground: Int32) -> Void {
            _ = init_pair(next, Int16(foreground), -1)
            pairs[paint] = next
            next += 1
        }
        define(.text, -1)
        define(.muted, COLOR_WHITE)
        define(.title, COLOR_CYAN)
        define(.selection, COLOR_CYAN)
        define(.warning, COLOR_YELLOW)
        define(.danger, COLOR_RED)
        define(.good, COLOR_GREEN)
        define(.floor, -1)
        define(.wall, COLOR_WHITE)
        define(.item, COLOR_YELLOW)
        define(.dead, COLOR_RED)
        let bright = colourCount >= 16
        for slot in 0 ..< 16 {
            let base = Theme.playerColours[slot % Theme.playerColours.count]
            // Players 8 and up reuse the hues, brighter where the terminal has 16 colours.
            let foreground = slot >= Theme.playerColours.count && bright ? base + 8 : base
            define(.player(slot, head: false), foreground)
            pairs[.player(slot, head: true)] = pairs[.player(slot, head: false)]
        }
    }

    /// Seven hues (black is the background), in the order players get them.
    static let playerColours: [Int32] = [COLOR_GREEN, COLOR_MAGENTA, COLOR_CYAN, COLOR_YELLOW, COLOR_BLUE, COLOR_RED, COLOR_WHITE]

    /// The colour pair and attributes for a cell.
    func attributes(for cell: ScreenCell) -> (pair: Int16, attributes: attr_t) {
        var attributes = mp_A_NORMAL()
        if cell.bold { attributes |= mp_A_BOLD() }
        if cell.reverse { attributes |= mp_A_REVERSE() }
        if colour {
            if case .item = cell.paint { attributes |= mp_A_BOLD() }
            return (pairs[cell.paint] ?? 0, attributes)
        }
        switch cell.paint {
        case .muted, .floor, .wall: attributes |= mp_A_DIM()
        case .title, .warning, .item: attributes |= mp_A_BOLD()
        case .danger: attributes |= mp_A_BOLD() | mp_A_UNDERLINE()
        case .selection, .text, .good, .dead, .player: break
        }
        return (0, attributes)
    }
}
