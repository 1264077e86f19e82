@testable import Lobby
import MeshTransport
import MeshplayCore
import Testing

/// Rooms answer with their host's signature and stay pinned to their host: a tampered, relayed
/// or unsigned answer is refused, and another room of the same name cannot take a member over.
@Suite("Room identity: signed answers and pinned rooms")
struct RoomIdentityTests {
    static func roomInfos(_ events: [RoomEvent]) -> [RoomSummary?] {
        events.compactMap { if case .roomInfo(_, let summary) = $0 { summary } else { nil } }
    }

    @Test func anAnswerChangedOnTheWayIsRefused() {
        var harness = LobbyHarness(nodes: 2, seed: 301, loss: 0)
        harness.connectAll()
        harness.create(0)
        // The host's answer has its room renamed (as a relay or a forger would) without a new signature.
        harness.tamper = { node, message in
            guard node == 0, case .signedInfo(var info) = message, var summary = info.summary else { return nil }
            summary.settings.name = "impostor"
            info.summary = summary
            return .signedInfo(info)
        }
        let host = harness.peer(0)
        harness.command(1) { core, _ in core.query(host) }
        harness.run(for: .seconds(2))
        #expect(Self.roomInfos(harness.events[1]).isEmpty, "\(harness.events[1])")
        #expect(harness.cores[1].refusedAnswers == 1)

        // The same answer untouched is taken, with the host's room id.
        harness.tamper = nil
        harness.command(1) { core, _ in core.query(host) }
        harness.run(for: .seconds(2))
        let answers = Self.roomInfos(harness.events[1])
        #expect(answers.count == 1)
        #expect(answers.first??.roomID == RoomID(host: host))
    }

    /// A stranger asking again and again costs the host one signature while the room is
    /// unchanged; a change of the room is signed afresh, and other askers get their own.
    @Test func repeatedQueriesAreAnsweredWithoutSigningAgain() throws {
        var harness = LobbyHarness(nodes: 3, seed: 303, loss: 0)
        harness.create(0)
        var host = harness.cores[0]
        var answers: Set<[UInt8]> = []
        for _ in 0..<1000 {
            guard case .send(_, let bytes)? = host.receive(RoomMessage.query.bytes, from: harness.peer(1), at: .zero).first else {
                Issue.record("no answer")
                return
            }
            answers.insert(bytes)
        }
        #expect(host.answersSigned == 1)
        #expect(answers.count == 1)
        _ = host.receive(RoomMessage.query.bytes, from: harness.peer(2), at: .zero)
        #expect(host.answersSigned == 2, "another asker gets an answer made for it")
    }

    @Test func anAnswerFromAnotherPeerOrForAnotherAskerIsRefused() throws {
        var harness = LobbyHarness(nodes: 3, seed: 302, loss: 0)
        harness.create(0)
        var host = harness.cores[0]
        // The host's real answer, made for node 2.
        let forTwo = host.receive(RoomMessage.query.bytes, from: harness.peer(2), at: .zero)
        guard case .send(_, let bytes)? = forTwo.first else { Issue.record("no answer"); return }
        // Node 2 hands it on to node 1 as its own (a relay), or node 1 gets it from the host though made for 2.
        var asker = harness.cores[1]
        #expect(Self.roomInfos(eventsOf(asker.receive(bytes, from: harness.peer(2), at: .zero))).isEmpty)
        #expect(Self.roomInfos(eventsOf(asker.receive(bytes, from: harness.peer(0), at: .zero))).isEmpty)
        // An unsigned (version-1 style) answer is bound to no key: refused too.
        let summary: RoomSummary = try #require(host.summary)
        let unsigned = RoomMessage.info(summary).bytes
        #expect(Self.roomInfos(eventsOf(asker.receive(unsigned, from: harness.peer(0), at: .zero))).isEmpty)
        #expect(asker.refusedAnswers == 3)
        // Made for node 1 by the host and sent by the host: taken.
        let forOne = host.receive(RoomMessage.query.bytes, from: harness.peer(1), at: .zero)
        guard case .send(_, let good)? = forOne.first else { Issue.record("no answer"); return }
        #expect(Self.roomInfos(eventsOf(asker.receive(good, from: harness.peer(0), at: .zero))).count == 1)
    }

    func eventsOf(_ actions: [RoomAction]) -> [RoomEvent] {
        actions.compactMap { if case .event(let event) = $0 { event } else { nil } }
    }

    /// An impostor hosting a room of the same name tells a member of the real room that it hosts
    /// now (a newer epoch, the member listed): the member stays in the room it joined.
    @Test func aJoinedRoomIsPinnedToItsHost() throws {
        var harness = LobbyHarness(nodes: 3, seed: 303, loss: 0)
        harness.connectAll()
        harness.create(0)
        harness.join(1, host: 0)
        harness.run(until: .seconds(5)) { $0.cores[1].phase == .waiting }
        try #require(harness.cores[1].host == harness.peer(0))
        harness.create(2)
        let member = try #require(harness.cores[1].members.first { $0.peer == harness.peer(1) })
        let forged = RoomStateMessage(
            epoch: RoomEpoch(generation: 99, counter: 1), host: harness.peer(2), phase: .waiting, nextJoinOrder: 2,
            settings: LobbyHarness.settings(),
            members: [RoomMember(peer: harness.peer(2), joinOrder: 0, name: "mallory", isReady: false), member])
        let impostor = harness.addresses[2]
        let target = harness.peer(1)
        _ = harness.network.withNode(impostor) { endpoint, _, _ in
            endpoint.sendReliable(RoomMessage.state(forged).bytes, channel: RoomCore.channel, to: target)
        }
        harness.run(for: .seconds(2))
        #expect(harness.cores[1].host == harness.peer(0), "the member stays with the host it joined")
        #expect(harness.cores[1].summary?.roomID == RoomID(host: harness.peer(0)))
        #expect(harness.cores[1].foreignStates == 1)
        #expect(!harness.events[1].contains { if case .hostChanged = $0 { true } else { false } })
    }
}
