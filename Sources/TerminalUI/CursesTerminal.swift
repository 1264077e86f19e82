import CNCurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that talks to curses. Screens draw into a `CellBuffer`; `present`
/// copies only the cells that changed since the previous frame and refreshes once.
/// Every call must come from the thread that created it (curses is not thread-safe).
final class CursesTerminal {
    /// Why the terminal could not be opened.
    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let theme: Theme
    private var previous: CellBuffer?
    private var isOpen = true
    private let asciiOnly: Bool

    /// Sets up curses on stdin/stdout: no echo, keys unbuffered (Ctrl-C still signals),
    /// keypad decoding, a short Esc delay, hidden cursor. Colour unless `monochrome` or
    /// the terminal has none.
    init(monochrome: Bool, asciiOnly: Bool) throws {
        // Before curses starts, or it cannot output UTF-8.
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw OpenError(description: "meshplay needs an interactive terminal (stdin and stdout must be a tty)")
        }
        guard let term = getenv("TERM"), term.pointee != 0 else {
            throw OpenError(description: "TERM is not set; cannot drive the terminal")
        }
        // newterm, unlike initscr, returns nil instead of exiting the process.
        guard let screen = newterm(term, mp_stdout(), mp_stdin()) else {
            throw OpenError(description: "cannot use terminal type \"\(String(cString: term))\"")
        }
        self.screen = screen
        _ = set_term(screen)
        window = mp_stdscr()
        self.asciiOnly = asciiOnly || !Self.localeIsUTF8
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        _ = keypad(window, true)
        _ = set_escdelay(25)
        _ = curs_set(0)
        _ = scrollok(window, false)
        _ = leaveok(window, true)
        let useColour = !monochrome && has_colors()
        if useColour {
            _ = start_color()
            _ = use_default_colors()
        }
        theme = Theme(colour: useColour, colourCount: useColour ? Int(mp_colors()) : 0)
    }

    deinit { close() }

    /// Whether the locale's character set is UTF-8; if not, only ASCII can be shown.
    static var localeIsUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }

    /// ASCII only, because it was asked for or because the locale cannot show more.
    var drawsASCIIOnly: Bool { asciiOnly }

    /// Ends curses and puts the terminal back as it was. Safe to call more than once.
    func close() {
        guard isOpen else { return }
        isOpen = false
        _ = curs_set(1)
        _ = endwin()
        delscreen(screen)
    }

    /// The terminal's size in cells.
    var size: (width: Int, height: Int) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        mp_getmaxyx(window, &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// The terminal changed size or was garbled: the next frame repaints everything.
    func invalidate() {
        previous = nil
        _ = clearok(window, true)
    }

    /// Shows `buffer`: only changed cells are sent, then one `doupdate`.
    func present(_ buffer: CellBuffer) {
        let full = previous.map { $0.width != buffer.width || $0.height != buffer.height } ?? true
        if full { _ = werase(window) }
        var character = cchar_t()
        var text: [wchar_t] = [0, 0]
        for y in 0 ..< buffer.height {
            for x in 0 ..< buffer.width {
                let cell = buffer[x, y]
                if !full, let previous, previous[x, y] == cell { continue }
                if cell.continuation { continue }
                text[0] = wchar_t(bitPattern: cell.scalar.value)
                let (pair, attributes) = theme.attributes(for: cell)
                _ = setcchar(&character, text, attributes, pair, nil)
                // Writing the bottom-right cell reports ERR (the cursor cannot advance) but draws it.
                _ = mvwadd_wch(window, Int32(y), Int32(x), &character)
            }
        }
        previous = buffer
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    /// Waits up to `milliseconds` for a key; nil on timeout.
    func readKey(timeoutMilliseconds milliseconds: Int) -> Key? {
        wtimeout(window, Int32(max(0, milliseconds)))
        var value: wint_t = 0
        let result = wget_wch(window, &value)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return Self.decodeKeyCode(Int32(value)) }
        return Self.decodeCharacter(UInt32(value))
    }

    static func decodeKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        default:
            for number in 1 ... 12 where code == mp_KEY_F(Int32(number)) { return .function(number) }
            return nil
        }
    }

    static func decodeCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1 ... 26: return .control(Character(Unicode.Scalar(UInt8(value) + 96)))
        default:
            guard value >= 32, let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}
