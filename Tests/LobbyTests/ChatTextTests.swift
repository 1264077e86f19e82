@testable import Lobby
import MeshplayCore
import Testing

@Suite("Chat text and names")
struct ChatTextTests {
    @Test func keepsUnicode() {
        #expect(ChatText.sanitize("héllo 世界 👩‍👩‍👧 Zoë") == "héllo 世界 👩‍👩‍👧 Zoë")
    }

    @Test func stripsControlsAndDelete() {
        #expect(ChatText.sanitize("a\u{0}b\u{7}c\u{7F}d\u{85}e\u{9C}f") == "abcdef")
        #expect(ChatText.sanitize("line1\nline2\tend\r") == "line1 line2 end")
    }

    @Test func stripsEscapeSequences() {
        #expect(ChatText.sanitize("\u{1B}[31mred\u{1B}[0m") == "red")
        #expect(ChatText.sanitize("\u{1B}[2J\u{1B}[H\u{1B}[?1049hclear") == "clear")
        #expect(ChatText.sanitize("\u{1B}]0;evil title\u{7}after") == "after")
        #expect(ChatText.sanitize("\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\") == "link")
        #expect(ChatText.sanitize("\u{1B}Pq#0;2;0;0;0\u{1B}\\dcs") == "dcs")
        #expect(ChatText.sanitize("\u{1B}(Bcharset \u{1B}c reset") == "charset  reset")
        #expect(ChatText.sanitize("\u{9B}31mC1 csi") == "C1 csi")
        #expect(ChatText.sanitize("\u{9D}0;title\u{9C}osc") == "osc")
        #expect(ChatText.sanitize("unterminated \u{1B}]0;title") == "unterminated")
        #expect(ChatText.sanitize("trailing escape\u{1B}") == "trailing escape")
    }

    @Test func stripsBidiOverrides() {
        #expect(ChatText.sanitize("abc\u{202E}fed\u{202C} \u{2066}x\u{2069}\u{200F}") == "abcfed x")
    }

    /// Text that hides in a name: tag characters, zero-width marks, fillers that look blank.
    @Test func stripsTagsInvisiblesAndBlankFillers() {
        let hidden = "a\u{E0041}\u{E0042}b\u{200B}c\u{3164}d\u{115F}\u{2800}e\u{00AD}f\u{180E}g\u{FFA0}"
        #expect(ChatText.sanitize(hidden) == "abcdefg")
        #expect(ChatText.sanitize("\u{3164}\u{3164}").isEmpty, "a blank-looking name is empty, so it gets the fallback")
        #expect(ChatText.sanitize("👩\u{200D}💻 ok") == "👩\u{200D}💻 ok", "ZWJ sequences stay")
    }

    /// ZWJ and ZWNJ stay only where they join two visible characters that need them.
    @Test func joinersStayOnlyWhereTheyJoin() {
        #expect(ChatText.sanitize("می\u{200C}خواهم") == "می\u{200C}خواهم", "ZWNJ between Persian letters stays")
        #expect(ChatText.sanitize("ann\u{200C}\u{200D}") == "ann", "trailing joiners go")
        #expect(ChatText.sanitize("\u{200D}bo") == "bo")
        #expect(ChatText.sanitize("a\u{200D}b c\u{200C} d") == "ab c d", "joiners between ASCII letters or beside a space go")
        #expect(ChatText.sanitize("👩\u{200D}\u{200D}💻") == "👩💻", "a doubled joiner joins nothing")
        // What `verify` prints of a name it did not write: the same characters, marked rather than dropped.
        #expect(ChatText.markingHidden("ann\u{200C}\u{200D}\u{202E}x") == "ann\u{FFFD}\u{FFFD}\u{FFFD}x")
        #expect(ChatText.markingHidden("👩\u{200D}💻") == "👩\u{200D}💻")
    }

    @Test func capsLength() {
        let long = String(repeating: "é", count: 500)
        let cut = ChatText.sanitize(long)
        #expect(cut.count == ChatText.maxCharacters)
        #expect(cut.utf8.count <= ChatText.maxBytes)
        let wide = String(repeating: "😀", count: 300)
        #expect(ChatText.sanitize(wide).utf8.count <= ChatText.maxBytes)
        let zalgo = "a" + String(repeating: "\u{301}", count: 100)
        #expect(ChatText.sanitize(zalgo).unicodeScalars.count == ChatText.maxScalarsPerCharacter)
    }

    @Test func namesAreCleanedAndCapped() {
        #expect(PlayerName.clean("\u{1B}[31mAda\u{7}") == "Ada")
        #expect(PlayerName.clean("   ") == PlayerName.fallback)
        let long = PlayerName.clean("ÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅÅ")
        #expect(long.count <= PlayerName.maxCharacters && long.utf8.count <= PlayerName.maxBytes)
    }

    @Test func clashesGetSuffixes() {
        #expect(PlayerName.unique("Zoë", among: ["Zoë"]) == "Zoë (2)")
        #expect(PlayerName.unique("zoë", among: ["Zoë", "Zoë (2)"]) == "zoë (3)")
        #expect(PlayerName.unique("Ada", among: ["Bob"]) == "Ada")
        let full = "ABCDEFGHIJKLMNOP"
        let suffixed = PlayerName.unique(full, among: [full])
        #expect(suffixed == "ABCDEFGHIJKL (2)")
        #expect(suffixed.count <= PlayerName.maxCharacters)
    }

    @Test func floodBucketAllowsBurstThenRate() {
        var bucket = FloodBucket()
        let limit = FloodLimit(burst: 3, interval: .milliseconds(100))
        let start = Timestamp.milliseconds(1000)
        var taken: [Bool] = []
        for _ in 0..<4 { taken.append(bucket.take(at: start, limit: limit)) }
        taken.append(bucket.take(at: start + .milliseconds(100), limit: limit))
        taken.append(bucket.take(at: start + .milliseconds(150), limit: limit))
        #expect(taken == [true, true, true, false, true, false])
    }
}
