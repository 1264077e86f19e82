@testable import Lobby
import MeshplayCore
import MeshTransport
import MeshplayTestSupport
import Testing

@Suite("Explicit refusals reach the refused node")
struct AdmissionTests {
    @Test func wrongPassword() {
        var harness = LobbyHarness(nodes: 3, seed: 51)
        harness.connectAll()
        harness.create(0, password: "open sesame")
        harness.join(1, host: 0, password: "open says me")
        harness.join(2, host: 0, password: "open sesame")
        harness.run(until: .seconds(10)) { !$0.refusals(1).isEmpty && $0.cores[2].phase == .waiting }
        #expect(harness.refusals(1) == [.wrongPassword(room: "arena")])
        #expect(harness.refusals(1).first?.description == "wrong password for room arena")
        #expect(harness.cores[1].phase == .idle)
        #expect(harness.cores[2].phase == .waiting)
    }

    @Test func passwordSurvivesHostSuccession() {
        var harness = LobbyHarness(nodes: 4, seed: 52)
        harness.connectAll()
        harness.create(0, password: "pw")
        harness.join(1, host: 0, password: "pw")
        harness.run(until: .seconds(10)) { $0.cores[1].phase == .waiting }
        harness.command(0) { core, now in core.leave(at: now) }
        harness.run(until: .seconds(10)) { $0.cores[1].isHost }
        harness.join(2, host: 1, password: "nope")
        harness.join(3, host: 1, password: "pw")
        harness.run(until: .seconds(10)) { !$0.refusals(2).isEmpty && $0.cores[3].phase == .waiting }
        #expect(harness.refusals(2) == [.wrongPassword(room: "arena")])
        #expect(harness.cores[3].phase == .waiting)
    }

    /// Hellos that never become joins hold nothing at the host: 30 strangers saying hello again
    /// and again do not crowd out a real joiner (the old pending-join table held 16).
    @Test func helloFloodsDoNotCrowdOutARealJoiner() async {
        await OffThePool.compute {
            var harness = LobbyHarness(nodes: 32, seed: 19)
            harness.connectAll()
            harness.create(0, settings: LobbyHarness.settings(cap: 4), password: "sesame")
            let host = harness.peer(0)
            for round in 0 ..< 3 {
                for stranger in 1 ... 30 { harness.perform([.send(to: host, bytes: RoomMessage.hello.bytes)], at: stranger) }
                harness.run(for: .milliseconds(round == 2 ? 50 : 3000))
            }
            harness.join(31, host: 0, password: "sesame")
            // Called outside #expect: inside a closure the macro runs a mutating call on a copy of the harness.
            let joined = harness.run(until: .seconds(10)) { $0.cores[31].phase == .waiting }
            #expect(joined, "\(harness.refusals(31))")
            #expect(harness.cores[0].members.count == 2)
            #expect(harness.refusals(31).isEmpty)
        }
    }

    @Test func fullRoom() {
        var harness = LobbyHarness(nodes: 3, seed: 53)
        harness.connectAll()
        harness.create(0, settings: LobbyHarness.settings(cap: 2))
        harness.joinInTurn([1], host: 0)
        harness.join(2, host: 0)
        harness.run(until: .seconds(10)) { !$0.refusals(2).isEmpty }
        #expect(harness.refusals(2) == [.roomFull(room: "arena", cap: 2)])
    }

    @Test func gameAlreadyRunning() {
        var harness = LobbyHarness(nodes: 3, seed: 54)
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1], host: 0)
        harness.command(1) { core, now in core.setReady(true, at: now) }
        harness.run(until: .seconds(5)) { $0.cores[0].members.allSatisfy { $0.isReady || $0.joinOrder == 0 } }
        harness.command(0) { core, now in core.start(at: now) }
        harness.run(until: .seconds(10)) { $0.cores[0].phase == .running }
        harness.join(2, host: 0)
        harness.run(until: .seconds(10)) { !$0.refusals(2).isEmpty }
        #expect(harness.refusals(2) == [.gameRunning(room: "arena")])
    }

    @Test func incompatibleEngineVersion() {
        var harness = LobbyHarness(nodes: 2, seed: 55, engineVersions: [1: MeshplayVersion.engine + 1])
        harness.connectAll()
        harness.create(0)
        harness.join(1, host: 0)
        harness.run(until: .seconds(10)) { !$0.refusals(1).isEmpty }
        #expect(harness.refusals(1) == [.engineVersionMismatch(room: "arena", host: MeshplayVersion.engine, joiner: MeshplayVersion.engine + 1)])
    }

    @Test func incompatibleGameVersion() {
        var harness = LobbyHarness(nodes: 2, seed: 56, games: [1: [GameIdentity(id: "snake", version: 2)]])
        harness.connectAll()
        harness.create(0)
        harness.join(1, host: 0)
        harness.run(until: .seconds(10)) { !$0.refusals(1).isEmpty }
        #expect(harness.refusals(1) == [.gameVersionMismatch(room: "arena", game: LobbyHarness.game)])
    }

    @Test func joiningANonHostIsRedirected() {
        var harness = LobbyHarness(nodes: 3, seed: 57)
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1], host: 0)
        harness.join(2, host: 1)
        harness.run(until: .seconds(10)) { !$0.refusals(2).isEmpty }
        #expect(harness.refusals(2) == [.notHost(host: harness.peer(0))])
    }

    @Test func silentHostIsAnExplicitNoAnswer() {
        var harness = LobbyHarness(nodes: 2, seed: 58)
        harness.connectAll()
        harness.crash(0)
        harness.join(1, host: 0)
        harness.run(until: .seconds(15)) { !$0.refusals(1).isEmpty }
        #expect(harness.refusals(1) == [.noAnswer])
    }

    @Test func roomQueryAnswersWithASummary() {
        var harness = LobbyHarness(nodes: 2, seed: 59)
        harness.connectAll()
        harness.create(0, password: "x")
        let host = harness.peer(0)
        harness.command(1) { core, _ in core.query(host) }
        harness.run(until: .seconds(5)) { h in h.events[1].contains { if case .roomInfo = $0 { true } else { false } } }
        guard case .roomInfo(let from, let summary)? = harness.events[1].last else { Issue.record("no answer"); return }
        #expect(from == host)
        #expect(summary?.settings.name == "arena")
        #expect(summary?.settings.hasPassword == true)
        #expect(summary?.memberCount == 1)
    }
}
