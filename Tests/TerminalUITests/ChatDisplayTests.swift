import MeshplayCore
import Testing
@testable import TerminalUI

@Suite struct ChatDisplayTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("red \u{1B}[31mALERT\u{1B}[0m", "red ALERT"),
        ("title \u{1B}]0;pwned\u{7}done", "title done"),
        ("osc st \u{1B}]52;c;AAAA\u{1B}\\end", "osc st end"),
        ("dcs \u{1B}Pq#0;2;0;0;0\u{1B}\\x", "dcs x"),
        ("c1 csi \u{9B}2Jafter", "c1 csi after"),
        ("c1 \u{85}\u{8D}\u{9C}ok", "c1 ok"),
        ("bell\u{7} del\u{7F} nul\u{0}", "bell del nul"),
        ("line\nbreak\ttab", "line break tab"),
        ("bidi \u{202E}txt.exe\u{202C}", "bidi txt.exe"),
        ("isolate \u{2066}x\u{2069} zw\u{200B}j", "isolate x zwj"),
        ("charset \u{1B}(Bswitch", "charset switch"),
        ("  padded  ", "padded"),
        ("unicode ünïcödé 日本 ok", "unicode ünïcödé 日本 ok"),
    ])
    func removesControlsAndSequences(input: String, expected: String) {
        #expect(ChatText.forDisplay(input) == expected)
    }

    @Test func capsLengthOnCharacterBoundaries() {
        let long = String(repeating: "é", count: 500)
        let clean = ChatText.forDisplay(long)
        #expect(clean.count <= ChatText.displayMaxCharacters)
        #expect(clean.utf8.count <= ChatText.displayMaxBytes)
        #expect(clean.allSatisfy { $0 == "é" })
    }

    @Test func unterminatedSequenceSwallowsOnlyItself() {
        #expect(ChatText.forDisplay("ok\u{1B}[") == "ok")
        #expect(ChatText.forDisplay("ok\u{1B}") == "ok")
    }

    @Test func chatLogSanitisesNamesAndText() {
        var log = ChatLog()
        log.add(author: "ev\u{1B}[2Jil", text: "\u{1B}[1;1Hgotcha")
        #expect(log.lines == [ChatPaneLine(author: "evil", text: "gotcha")])
        log.add(author: "x", text: "\u{1B}[2J")
        #expect(log.lines.count == 1, "a line that is only an escape sequence is dropped")
    }

    @Test func longLinesWrapBetweenWordsAndCutOnlyWordsLongerThanARow() {
        var log = ChatLog()
        log.notice("Room created. Press r when ready; the match starts when everyone is.")
        log.add(author: "ann", text: "see /a/very/long/path/that/cannot/fit/on/one/row ok")
        var buffer = CellBuffer(width: 20, height: 10)
        log.draw(into: &buffer, rect: Rect(x: 0, y: 0, width: 20, height: 10))
        let rows = (0 ..< 10).map { buffer.row($0).trimmingTrailingSpaces }
        #expect(rows == [
            "* Room created.",
            "  Press r when",
            "  ready; the match",
            "  starts when",
            "  everyone is.",
            "ann: see",
            "  /a/very/long/path/",
            "  that/cannot/fit/on",
            "  /one/row ok",
            "",
        ])
    }
}
