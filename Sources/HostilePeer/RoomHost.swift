import Foundation
import MeshTransport

/// A `meshplay bot` hosting a room on a fixed loopback port, and the real joiner whose
/// admission tells whether an attack kept people out.
struct RoomHost {
    let port: Int
    let target: Target
    var address: UDPAddress { UDPAddress(ipAddress: "127.0.0.1", port: port)! }

    /// Hosts room `room` for `players` (the match starts when they are all in and ready: give one
    /// more than will join, and the host stays in its room, alive, for as long as the attack runs).
    init(_ context: Context, room: String, players: Int, name: String = "host") throws {
        port = try freePort()
        target = try context.start(name, [
            "bot", "--name", name, "--create", room, "--players", "\(players)", "--port", "\(port)", "--ticks", "200", "--json",
        ])
        guard target.waitForError(containing: "in room", seconds: 20) else {
            throw AttackError("the host did not open its room: \(target.standardError.suffix(300))")
        }
    }

    /// Runs a real joiner for `room` through this host; whether it got in, and how long that took.
    func admitsJoiner(_ context: Context, room: String, name: String, within seconds: Double) throws -> (joined: Bool, seconds: Double) {
        let started = Date()
        let joiner = try context.start(name, [
            "bot", "--name", name, "--room", room, "--peer", "127.0.0.1:\(port)", "--join-timeout", "\(Int(seconds))", "--json",
        ])
        defer { joiner.stop() }
        let joined = joiner.waitForError(containing: "in room", seconds: seconds)
        return (joined, Date().timeIntervalSince(started))
    }
}

/// "in 1.2 s" or "not within 30 s".
func admission(_ result: (joined: Bool, seconds: Double), limit: Double) -> String {
    result.joined ? "a real joiner got in after \(String(format: "%.1f", result.seconds)) s" : "a real joiner was NOT admitted within \(Int(limit)) s"
}
