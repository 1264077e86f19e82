import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import Netplay
import Replay
import Snake
import Testing

/// Player nodes live a room's whole life over the simulated network: found, joined, readied,
/// started, played, recorded, back in the room, left.
@Suite("A player node's life in a room")
struct PeerNodeLifeTests {
    @Test("a bot-hosted room plays two matches; everyone agrees, every replay verifies, everyone leaves")
    func twoMatchesInARow() async throws {
        try await OffThePool.compute {
            let folder = NodeWorld.folder("two")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var world = NodeWorld(seed: 3, conditions: NetworkConditions(latency: .milliseconds(20), loss: 0.05))
            let settings = NodeWorld.settings(cap: 3, ticks: 100)
            world.addBot(BotPlan(name: "host", role: .create(settings: settings, playersToStart: 3), games: 2, seed: 1), recordingTo: folder)
            world.addBot(BotPlan(name: "ann", role: .join(room: "duo"), games: 2, seed: 2), via: 0, recordingTo: folder)
            world.addBot(BotPlan(name: "bob", role: .join(room: "duo"), games: 2, seed: 3), via: 0, recordingTo: folder)
            let done = world.run(for: .seconds(120)) { world in (0..<3).allSatisfy { world.status($0).phase == .stopped } }
            #expect(done, "phases \((0..<3).map { world.status($0).phase })")
            // Replays are written by the writer's thread: wait until it has caught up.
            #expect(ReplayWriteQueue.shared.drain(timeout: .seconds(10)))
            for game in 0..<2 {
                let reports = (0..<3).compactMap { world.reports($0).count > game ? world.reports($0)[game] : nil }
                #expect(reports.count == 3)
                #expect(Set(reports.map(\.finalChecksum.rawValue)).count == 1, "game \(game + 1): the nodes disagree")
                #expect(reports.allSatisfy { $0.completed && $0.failures.isEmpty && $0.ticks == 100 }, "\(reports.map(\.failures))")
                for report in reports {
                    let path = try #require(report.replayPath)
                    let verification = ReplayVerifier.verify(path: path, catalog: NodeWorld.catalog)
                    #expect(verification.status == .ok, "\(verification)")
                    #expect(verification.finalChecksum == report.finalChecksum)
                }
            }
            #expect((0..<3).allSatisfy { world.status($0).matchesPlayed == 2 })
        }
    }

    @Test("a person's node joins by name, waits for its ready, plays its key presses, and is back in the room after")
    func aPersonJoinsReadiesAndPlays() throws {
        var world = NodeWorld(seed: 5)
        world.addBot(BotPlan(name: "host", role: .create(settings: NodeWorld.settings(ticks: 200), playersToStart: 2), seed: 9))
        let person = world.add(via: 0, input: KeyPressInput(), name: "tess") { $0.keepsTally = true }
        world.command(person, .joinRoom("duo", password: nil, playerName: "tess", timeout: .seconds(10)))
        #expect(world.status(person).phase == .joining(room: "duo"))
        try #require(world.run(for: .seconds(10)) { $0.status(person).room?.members.count == 2 })
        // The host is ready and waits for the person: nothing starts until the person says so.
        world.run(for: .seconds(3))
        #expect(world.status(person).phase == .inRoom)
        #expect(world.status(person).room?.members.map(\.member.name) == ["host", "tess"])
        #expect(world.status(person).room?.members.first?.isHost == true)
        #expect(world.status(person).room?.members.last?.member.isReady == false)
        world.command(person, .setReady(true))
        try #require(world.run(for: .seconds(10)) { $0.status(person).match?.isRunning == true })
        let left = Direction.left.input
        world.command(person, .press(left))
        world.run(for: .milliseconds(500))
        let sampled = try #require(world.driver.cores[person].match?.sampledInputs)
        #expect(sampled.contains(left), "the press was played")
        #expect(sampled.last == left, "a snake's heading holds after the press")
        try #require(world.run(for: .seconds(30)) { !$0.reports(person).isEmpty })
        #expect(world.status(person).phase == .inRoom)
        #expect(!world.status(person).wantsReady, "readiness is cleared for the next match")
        #expect(world.reports(person).first?.completed == true)
    }

    @Test("a wrong password and a room that is not there are refused with their reasons")
    func failedJoinsSayWhy() throws {
        var world = NodeWorld(seed: 7)
        world.add(name: "host")
        world.command(0, .createRoom(NodeWorld.settings(password: true), password: "sesame", playerName: "host", minimumPlayers: 2))
        let wrong = world.add(via: 0, name: "eve")
        world.command(wrong, .joinRoom("duo", password: "open", playerName: "eve", timeout: .seconds(10)))
        let missing = world.add(via: 0, name: "lost")
        world.command(missing, .joinRoom("nosuch", password: nil, playerName: "lost", timeout: .seconds(3)))
        world.run(for: .seconds(6))
        #expect(world.events[wrong].contains(.joinFailed(.refused(room: "duo", reason: .wrongPassword(room: "duo")))), "\(world.events[wrong])")
        #expect(world.status(wrong).failure == "could not join room duo: wrong password for room duo")
        #expect(world.status(wrong).phase == .idle)
        let notFound = world.events[missing].compactMap { if case .joinFailed(let failure) = $0 { failure } else { nil } }
        #expect(notFound == [.roomNotFound(room: "nosuch", seconds: 3, lookedAt: ["sim:0"])])
        #expect(notFound.first?.description == "room nosuch not found within 3 s (asked sim:0)")
    }

    @Test("leaving mid-match ends the match here with its recording closed: the replay verifies as far as it went")
    func leavingMidMatchKeepsAVerifyingReplay() throws {
        let folder = NodeWorld.folder("leave")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var world = NodeWorld(seed: 11)
        world.addBot(BotPlan(name: "host", role: .create(settings: NodeWorld.settings(ticks: 2000), playersToStart: 2), seed: 4))
        let person = world.add(via: 0, input: KeyPressInput(), recordingTo: folder, name: "tess")
        world.command(person, .joinRoom("duo", password: nil, playerName: "tess", timeout: .seconds(10)))
        world.command(person, .setReady(true))
        try #require(world.run(for: .seconds(20)) { ($0.status(person).match?.tick.rawValue ?? 0) > 100 })
        world.command(person, .leave)
        let report = try #require(world.reports(person).first)
        #expect(!report.completed)
        #expect(report.outcome.reason == "left the match")
        #expect(ReplayWriteQueue.shared.drain(timeout: .seconds(10)))
        let verification = ReplayVerifier.verify(path: try #require(report.replayPath), catalog: NodeWorld.catalog)
        #expect(verification.status == .ok, "\(verification)")
        #expect(verification.ticks == report.ticks)
        world.run(for: .seconds(2))
        #expect(world.status(person).phase == .stopped)
        #expect(world.events[person].last == .stopped)
    }

    @Test("a node left alone in its match (the other node died) ends it and says the network is lost")
    func aloneInTheMatch() throws {
        var world = NodeWorld(seed: 13)
        world.addBot(BotPlan(name: "host", role: .create(settings: NodeWorld.settings(ticks: 5000), playersToStart: 2), seed: 4))
        world.addBot(BotPlan(name: "ann", role: .join(room: "duo"), seed: 5), via: 0)
        try #require(world.run(for: .seconds(20)) { ($0.status(0).match?.tick.rawValue ?? 0) > 50 })
        world.driver.crash(world.addresses[1])
        try #require(world.run(for: .seconds(30)) { !$0.reports(0).isEmpty })
        let report = world.reports(0)[0]
        #expect(report.droppedPlayers == [1])
        #expect(report.outcome.reason == "network lost, no other player answers")
        #expect(report.ticks < 5000)
    }

    @Test("chat in the room and in the match reaches every member, with the sender's name and seat")
    func chatEverywhere() throws {
        var world = NodeWorld(seed: 17)
        world.add(name: "host")
        world.command(0, .createRoom(NodeWorld.settings(ticks: 300), password: nil, playerName: "host", minimumPlayers: 2))
        let guest = world.add(via: 0, name: "guest")
        world.command(guest, .joinRoom("duo", password: nil, playerName: "guest", timeout: .seconds(10)))
        try #require(world.run(for: .seconds(10)) { $0.status(guest).phase == .inRoom })
        world.command(guest, .chat("hello \u{1B}[31mroom\u{202E}"))
        world.run(for: .seconds(1))
        let roomLine = NodeChatLine(name: "guest", text: "hello room", slot: nil, isOwn: false)
        #expect(world.events[0].contains(.chat(roomLine)), "\(world.events[0])")
        world.command(0, .setReady(true))
        world.command(guest, .setReady(true))
        try #require(world.run(for: .seconds(10)) { $0.status(0).match?.isRunning == true })
        world.command(0, .chat("gg"))
        world.run(for: .seconds(1))
        #expect(world.events[guest].contains(.chat(NodeChatLine(name: "host", text: "gg", slot: PlayerSlot(0), isOwn: false))))
        #expect(world.events[0].contains(.chat(NodeChatLine(name: "host", text: "gg", slot: PlayerSlot(0), isOwn: true))))
    }
}
