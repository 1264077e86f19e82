import Foundation
import MeshplayTestSupport
import Testing

/// `meshplay rooms`: the lobby's list, once, over real sockets.
@Suite("meshplay rooms", .serialized)
struct RoomsCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshplay-rooms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A room registered at a resolver is listed with its name, players, ping and path. The
    /// lookup introduced the probe's socket, so the host punched toward it: the row says
    /// "punched", and the host says on stderr that it did.
    @Test func aRoomAtAResolverIsListedWithItsPingAndPath() async throws {
        try await OffThePool.wait {
            let bots = BotProcesses(directory: directory)
            defer { bots.stopAll() }
            try bots.launch("resolver", ["resolver", "--host", "127.0.0.1", "--port", "0"])
            let resolver = "127.0.0.1:\(try #require(try bots.listeningPort(of: "resolver", onStandardOutput: true)))"
            try bots.launch("host", ["bot", "--create", "attic", "--players", "2", "--resolver", resolver, "--join-timeout", "300"])
            let hostPort = try #require(try bots.listeningPort(of: "host"))
            // The host registers a moment after it starts: ask until it is listed.
            var room: [String: Any]?
            var last = ""
            let deadline = Date().addingTimeInterval(120)
            while room == nil, Date() < deadline {
                let listed = try MeshplayBinary.run(["rooms", "--resolver", resolver, "--json"])
                #expect(listed.exitCode == 0, "\(listed.standardOutput) \(listed.standardError)")
                last = listed.standardOutput
                let top = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [String: Any]
                room = (top?["rooms"] as? [[String: Any]])?.first { $0["name"] as? String == "attic" && $0["pingMs"] is Int }
            }
            let row = try #require(room, "never listed: \(last)")
            #expect(row["game"] as? String == "snake")
            #expect(row["players"] as? Int == 1 && row["capacity"] as? Int == 2)
            #expect(row["path"] as? String == "punched", "\(row)")
            #expect(row["reached"] as? Bool == true)
            #expect(row["running"] as? Bool == false && row["locked"] as? Bool == false)
            #expect(row["address"] as? String == "127.0.0.1:\(hostPort)")
            #expect(row["source"] as? String == "resolver \(resolver)")
            #expect(bots.errors("host").contains("punching toward 127.0.0.1:"), "\(bots.errors("host"))")
            let text = try MeshplayBinary.run(["rooms", "--resolver", resolver])
            #expect(text.exitCode == 0)
            #expect(text.standardOutput.hasPrefix("ROOM "), "\(text.standardOutput)")
            #expect(text.standardOutput.contains("attic") && text.standardOutput.contains("resolver \(resolver): 1 address"), "\(text.standardOutput)")
        }
    }

    /// Nowhere to look is a usage error; a place that does not answer is exit 2, saying so.
    @Test func noPlaceIsAUsageErrorAndNoAnswerIsExitTwo() async throws {
        try await OffThePool.wait {
            let none = try MeshplayBinary.run(["rooms"])
            #expect(none.exitCode == 64)
            #expect(none.standardError.contains("nowhere to look"), "\(none.standardError)")
            // A port nothing listens on (the resolver's, once it stopped).
            let bots = BotProcesses(directory: directory)
            let resolver = try bots.launch("resolver", ["resolver", "--host", "127.0.0.1", "--port", "0"])
            let port = try #require(try bots.listeningPort(of: "resolver", onStandardOutput: true))
            resolver.stop()
            bots.stopAll()
            let silent = try MeshplayBinary.run(["rooms", "--resolver", "127.0.0.1:\(port)"])
            #expect(silent.exitCode == 2, "\(silent.standardOutput) \(silent.standardError)")
            #expect(silent.standardOutput.contains("(no rooms)") && silent.standardOutput.contains("unreachable"), "\(silent.standardOutput)")
            let bad = try MeshplayBinary.run(["rooms", "--resolver", "nonsense"])
            #expect(bad.exitCode == 64, "\(bad.standardError)")
        }
    }
}
