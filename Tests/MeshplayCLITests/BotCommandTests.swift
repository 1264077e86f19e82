import Foundation
import MeshplayTestSupport
import Testing

@Suite("meshplay bot across processes", .serialized)
struct BotCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshplay-bot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Three `meshplay bot` processes on loopback: one creates the room, two join it with
    /// `--peer`; they play a whole match, every replay verifies, every checksum agrees.
    @Test func threeProcessesPlayAMatchThatVerifies() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            let record = directory.appendingPathComponent("replays").path
            let match = ["--ticks", "300", "--tick-rate", "20", "--record", record, "--json", "--chat"]
            try bots.launch("creator", ["bot", "--create", "trio", "--players", "3", "--name", "host", "--port", "0"] + match)
            let port = try #require(try bots.listeningPort(of: "creator"), "creator never said its port: \(bots.errors("creator"))")
            for name in ["joinerA", "joinerB"] {
                try bots.launch(name, ["bot", "--room", "trio", "--name", name, "--peer", "127.0.0.1:\(port)", "--record", record, "--json"])
            }
            let statuses = bots.waitAll(timeout: 180)
            var checksums: [String] = []
            var replays: [String] = []
            for name in ["creator", "joinerA", "joinerB"] {
                #expect(statuses[name] == 0, "\(name) exited \(statuses[name] ?? -1): \(bots.output(name)) \(bots.errors(name))")
                let summary = try #require(
                    try JSONSerialization.jsonObject(with: Data(bots.output(name).utf8)) as? [String: Any], "\(name): \(bots.output(name))")
                #expect(summary["gamesPlayed"] as? Int == 1)
                let game = try #require((summary["games"] as? [[String: Any]])?.first)
                #expect(game["room"] as? String == "trio")
                #expect(game["ticks"] as? Int == 300)
                #expect(game["desyncs"] as? Int == 0)
                checksums.append(try #require(game["finalChecksum"] as? String, "\(name) has no agreed checksum"))
                replays += game["replays"] as? [String] ?? []
                #expect(summary["replays"] as? [String] == game["replays"] as? [String], "--json lists every file written: \(name)")
            }
            #expect(Set(checksums).count == 1, "final checksums differ: \(checksums)")
            #expect(replays.count == 3)
            // The first bot of each process says on stderr where the match is.
            for (name, bot) in [("creator", "host-1"), ("joinerA", "joinerA-1")] {
                for step in ["\(bot) in room trio", "\(bot): game 1 started, 3 players", "\(bot): game 1 ended at tick 300"] {
                    #expect(bots.errors(name).contains("meshplay bot: \(step)"), "\(name): \(bots.errors(name))")
                }
            }
            let verified = try MeshplayBinary.run(["verify"] + replays)
            #expect(verified.exitCode == 0, "\(verified.standardOutput) \(verified.standardError)")
        }
    }

    /// Rooms are found through a rendezvous node: the creator registers, the joiners
    /// know only the resolver's address, and the match still verifies everywhere.
    @Test func botsFindARoomThroughAResolver() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            try bots.launch("resolver", ["resolver", "--host", "127.0.0.1", "--port", "0"])
            let resolverPort = try #require(try bots.listeningPort(of: "resolver", onStandardOutput: true))
            let resolver = "127.0.0.1:\(resolverPort)"
            let record = directory.appendingPathComponent("found").path
            try bots.launch("creator", ["bot", "--create", "rendezvous", "--players", "3", "--ticks", "200", "--resolver", resolver, "--record", record, "--json"])
            try bots.launch("joiners", ["bot", "--count", "2", "--name", "j", "--room", "rendezvous", "--resolver", resolver, "--record", record, "--json"])
            #expect(bots.wait(for: "creator", timeout: 180) == 0, "\(bots.errors("creator"))")
            #expect(bots.wait(for: "joiners", timeout: 180) == 0, "\(bots.errors("joiners"))")
            let replays = try FileManager.default.contentsOfDirectory(atPath: record).map { record + "/" + $0 }
            #expect(replays.count == 3)
            let verified = try MeshplayBinary.run(["verify"] + replays)
            #expect(verified.exitCode == 0, "\(verified.standardOutput)")
            let checksums = Set(verified.standardOutput.split(separator: "\n").compactMap { $0.split(separator: " ").last })
            #expect(checksums.count == 1, "\(verified.standardOutput)")
        }
    }

    /// The resolver's relay over real sockets (issue 14, item 3): a joiner that reaches the host
    /// only through it (`--relay-only`: on loopback every direct path would answer) plays the
    /// whole match, both replays agree, and the resolver says it forwarded their packets.
    @Test func aJoinerPlaysThroughTheResolversRelay() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            let resolverProcess = try bots.launch("resolver", ["resolver", "--host", "127.0.0.1", "--port", "0", "--relay", "--relay-ports", "8"])
            let resolverPort = try #require(try bots.listeningPort(of: "resolver", onStandardOutput: true))
            let resolver = "127.0.0.1:\(resolverPort)"
            let record = directory.appendingPathComponent("relayed").path
            try bots.launch("host", ["bot", "--create", "relayed", "--players", "2", "--ticks", "100", "--resolver", resolver, "--record", record, "--json"])
            _ = try #require(try bots.listeningPort(of: "host"))
            try bots.launch("joiner", ["bot", "--room", "relayed", "--resolver", resolver, "--relay-only", "--join-timeout", "60", "--record", record, "--json"])
            for name in ["host", "joiner"] {
                #expect(bots.wait(for: name, timeout: 180) == 0, "\(name): \(bots.errors(name))")
            }
            #expect(bots.errors("joiner").contains("relaying through 127.0.0.1:"), "\(bots.errors("joiner"))")
            #expect(bots.errors("host").contains("binding relay 127.0.0.1:"), "\(bots.errors("host"))")
            let replays = try FileManager.default.contentsOfDirectory(atPath: record).map { record + "/" + $0 }
            #expect(replays.count == 2)
            let verified = try MeshplayBinary.run(["verify"] + replays)
            #expect(verified.exitCode == 0, "\(verified.standardOutput)")
            let checksums = Set(verified.standardOutput.split(separator: "\n").compactMap { $0.split(separator: " ").last })
            #expect(checksums.count == 1, "\(verified.standardOutput)")
            resolverProcess.stop()
            let said = bots.output("resolver")
            let relayed = said.split(separator: "\n").first { $0.contains("relayed ") }.flatMap { line in
                line.split(separator: " ").drop { $0 != "relayed" }.dropFirst().first.flatMap { Int($0) }
            }
            #expect((relayed ?? 0) > 10_000, "the match crossed the relay: \(said)")
        }
    }

    /// Dual stack (issue 14, item 5): bots on dual-stack sockets (`--bind ::`) register their
    /// IPv4 and IPv6 addresses through a resolver reached both ways, a joiner gets both
    /// candidates, and the match plays on whichever answers.
    @Test func dualStackBotsRegisterBothFamiliesAndPlay() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            try bots.launch("resolver", ["resolver", "--host", "::", "--port", "0"])
            let resolverPort = try #require(try bots.listeningPort(of: "resolver", onStandardOutput: true))
            let both = ["--resolver", "127.0.0.1:\(resolverPort)", "--resolver", "[::1]:\(resolverPort)"]
            let record = directory.appendingPathComponent("dual").path
            try bots.launch("host", ["bot", "--create", "dual", "--players", "2", "--ticks", "60", "--bind", "::", "--record", record, "--json"] + both)
            _ = try #require(try bots.listeningPort(of: "host"))
            try bots.launch("joiner", ["bot", "--room", "dual", "--bind", "::", "--join-timeout", "60", "--record", record, "--json"] + both)
            for name in ["host", "joiner"] {
                #expect(bots.wait(for: name, timeout: 120) == 0, "\(name): \(bots.errors(name))")
            }
            // The host was asked to punch toward both of the joiner's candidates: it registered both families.
            let host = bots.errors("host")
            #expect(host.contains("punching toward [::1]:") && host.contains("punching toward 127.0.0.1:"), "\(host)")
            let replays = try FileManager.default.contentsOfDirectory(atPath: record).map { record + "/" + $0 }
            let verified = try MeshplayBinary.run(["verify"] + replays)
            #expect(replays.count == 2 && verified.exitCode == 0, "\(verified.standardOutput)")
        }
    }

    /// Several resolvers (issue 14, item 4): the host registers with each, and a joiner finds the
    /// room through either: one that is down (nothing listens there), or one the host never
    /// reached, changes nothing the players see.
    @Test func aRoomIsFoundThroughAnyOfSeveralResolversWhileOneIsDown() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            var resolvers: [String] = []
            for name in ["resolverA", "resolverB"] {
                try bots.launch(name, ["resolver", "--host", "127.0.0.1", "--port", "0"])
                resolvers.append("127.0.0.1:\(try #require(try bots.listeningPort(of: name, onStandardOutput: true)))")
            }
            // The discard port: no service listens there on these machines, so nothing ever answers.
            let down = "127.0.0.1:9"
            try bots.launch("creator", ["bot", "--create", "several", "--players", "3", "--ticks", "100",
                                        "--resolver", down, "--resolver", resolvers[0], "--resolver", resolvers[1], "--json"])
            _ = try #require(try bots.listeningPort(of: "creator"))
            // One joiner asks the dead one and A; the other asks only B.
            try bots.launch("viaA", ["bot", "--room", "several", "--resolver", down, "--resolver", resolvers[0], "--join-timeout", "30", "--json"])
            try bots.launch("viaB", ["bot", "--room", "several", "--resolver", resolvers[1], "--join-timeout", "30", "--json"])
            for name in ["creator", "viaA", "viaB"] {
                #expect(bots.wait(for: name, timeout: 120) == 0, "\(name): \(bots.errors(name))")
                #expect(bots.errors(name).contains("game 1 ended at tick 100"), "\(name): \(bots.errors(name))")
            }
        }
    }

    @Test func joiningAMissingRoomExitsTwoAndSaysSo() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            try bots.launch("creator", ["bot", "--create", "here", "--players", "2", "--port", "0"])
            let port = try #require(try bots.listeningPort(of: "creator"))
            try bots.launch("lost", ["bot", "--room", "elsewhere", "--peer", "127.0.0.1:\(port)", "--join-timeout", "3"])
            let lost = bots.wait(for: "lost", timeout: 60)
            #expect(lost == 2)
            #expect(bots.errors("lost").contains("room elsewhere not found"))
        }
    }

    @Test func aRoomNamedWithoutPeerOrResolverIsFoundOnTheLAN() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            let room = "lan-\(getpid())"
            try bots.launch("creator", ["bot", "--create", room, "--players", "2", "--ticks", "100", "--port", "0"])
            _ = try #require(try bots.listeningPort(of: "creator"))
            try bots.launch("joiner", ["bot", "--room", room, "--join-timeout", "60"])
            #expect(bots.wait(for: "joiner", timeout: 120) == 0, "\(bots.errors("joiner"))")
            #expect(bots.wait(for: "creator", timeout: 120) == 0, "\(bots.errors("creator"))")
            try bots.launch("nowhere", ["bot", "--room", "no-such-\(room)", "--join-timeout", "2"])
            #expect(bots.wait(for: "nowhere", timeout: 60) == 2)
            #expect(bots.errors("nowhere").contains("room no-such-\(room) not found"), "\(bots.errors("nowhere"))")
        }
    }

    /// A creating process whose mesh already holds a room of the same name (issue 18's impostor,
    /// or just a neighbour's "duo"): its own bots join their host by id, and play.
    @Test func aCreatorsOwnBotsJoinItsRoomEvenBesideAnotherOfTheSameName() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            try bots.launch("other", ["bot", "--create", "duo", "--players", "3", "--port", "0"])
            let port = try #require(try bots.listeningPort(of: "other"))
            try bots.launch("creator", ["bot", "--count", "2", "--create", "duo", "--players", "2", "--ticks", "60",
                                        "--peer", "127.0.0.1:\(port)", "--join-timeout", "20", "--json"])
            #expect(bots.wait(for: "creator", timeout: 90) == 0, "\(bots.output("creator")) \(bots.errors("creator"))")
            #expect(bots.errors("creator").contains("game 1 ended at tick 60"), "\(bots.errors("creator"))")
        }
    }

    @Test func wrongPasswordExitsTwoAndSaysSo() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            try bots.launch("creator", ["bot", "--create", "locked", "--players", "2", "--password", "right", "--port", "0"])
            let port = try #require(try bots.listeningPort(of: "creator"))
            try bots.launch("guest", ["bot", "--room", "locked", "--password", "wrong", "--peer", "127.0.0.1:\(port)"])
            let guest = bots.wait(for: "guest", timeout: 60)
            #expect(guest == 2)
            #expect(bots.errors("guest").contains("wrong password"))
        }
    }

    /// A usage error exits 64 as in every other command, apart from "could not join" (2).
    @Test(arguments: [["bot", "--create", "x", "--room", "y"], ["bot"]])
    func badArgumentsAreUsageErrorsWithTheBotUsageLine(arguments: [String]) async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(arguments)
            #expect(result.exitCode == 64, "\(result.standardError)")
            #expect(result.standardError.contains("give exactly one of --create ROOM and --room ROOM"), "\(result.standardError)")
            #expect(result.standardError.contains("Usage: meshplay bot "), "\(result.standardError)")
        }
    }
}
