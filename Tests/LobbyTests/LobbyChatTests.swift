@testable import Lobby
import MeshplayCore
import MeshTransport
import Testing

@Suite("Lobby chat outside rooms")
struct LobbyChatTests {
    @Test func linesAreSanitisedNumberedAndDeduplicated() {
        let alice = PeerID(high: 1, low: 1)
        let bob = PeerID(high: 2, low: 2)
        var aliceChat = LobbyChat(localPeer: alice)
        var bobChat = LobbyChat(localPeer: bob)
        let said = aliceChat.say("hi \u{1B}[31mall\u{7}", to: [bob, alice], name: "Alice", at: .milliseconds(10))
        #expect(said.count == 2)
        guard case .send(let peer, let bytes) = said[1] else { Issue.record("no send"); return }
        #expect(peer == bob)
        let heard = bobChat.receive(bytes, from: alice, name: "Alice", at: .milliseconds(20))
        guard case .event(.chat(let line))? = heard.first else { Issue.record("no line"); return }
        #expect(line.text == "hi all" && line.sequence == 1 && line.sender == alice)
        #expect(bobChat.receive(bytes, from: alice, name: "Alice", at: .milliseconds(30)).isEmpty)
    }

    @Test func ownFloodIsRefused() {
        var chat = LobbyChat(localPeer: PeerID(high: 1, low: 1), limit: FloodLimit(burst: 2, interval: .seconds(1)))
        let peers = [PeerID(high: 2, low: 2)]
        _ = chat.say("a", to: peers, name: "A", at: .zero)
        _ = chat.say("b", to: peers, name: "A", at: .zero)
        #expect(chat.say("c", to: peers, name: "A", at: .zero) == [.event(.chatRefused(.flood))])
        #expect(chat.say("   ", to: peers, name: "A", at: .milliseconds(5000)) == [.event(.chatRefused(.empty))])
    }
}
