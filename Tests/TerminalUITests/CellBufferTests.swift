import Testing
@testable import TerminalUI

@Suite struct CellBufferTests {
    @Test func writesClipsAndReadsBack() {
        var buffer = CellBuffer(width: 10, height: 2)
        let end = buffer.write("hello world", x: 2, y: 0)
        #expect(end == 10)
        #expect(buffer.row(0) == "  hello wo")
        buffer.write("off", x: -5, y: 5)
        #expect(buffer.row(1) == String(repeating: " ", count: 10))
    }

    @Test func wideGlyphsTakeTwoCellsAndNeverStraddleTheEdge() {
        var buffer = CellBuffer(width: 5, height: 1)
        let end = buffer.write("ab日本", x: 0, y: 0)
        #expect(end == 4)
        #expect(buffer[3, 0].continuation)
        #expect(buffer.row(0) == "ab日 ")
    }

    @Test func controlAndZeroWidthScalarsAreSkipped() {
        var buffer = CellBuffer(width: 8, height: 1)
        buffer.write("a\u{1B}b\u{7}c\u{301}", x: 0, y: 0)
        #expect(buffer.row(0).hasPrefix("abc "))
    }

    @Test func asciiOnlyReplacesOtherScalars() {
        var buffer = CellBuffer(width: 8, height: 3, asciiOnly: true)
        buffer.write("né●", x: 0, y: 0)
        #expect(buffer.row(0).hasPrefix("n??"))
        buffer.box(Rect(x: 0, y: 1, width: 4, height: 2))
        #expect(buffer.row(1).hasPrefix("+--+"))
    }

    @Test func findLocatesText() {
        var buffer = CellBuffer(width: 20, height: 3)
        buffer.write("score 12", x: 5, y: 2)
        #expect(buffer.find("12")! == (11, 2))
        #expect(!buffer.contains("13"))
    }
}
