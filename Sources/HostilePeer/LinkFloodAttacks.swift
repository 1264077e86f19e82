import Foundation
import MeshTransport

extension Attack {
    /// Row 5: completed handshakes held open, far past the link caps.
    static let handshakes = Attack(
        name: "handshakes",
        summary: "1,200 completed handshakes (from 40 hosts) held 25 s against a room's host"
    ) { context in
        let host = try RoomHost(context, room: "keep", players: 3)
        defer { host.target.stop() }
        let before = try resident(host.target)
        let cpuBefore = host.target.cpuTicks ?? 0
        let strangers = try connectStrangers(1200, perHost: 30, subnet: "127.0.1", seed: 0x5EED, to: host)
        let started = Date()
        var peak = before
        // The most links the strangers held at once (read on the flood's thread, used after it stopped).
        var mostLinked = 0
        let flood = FloodThread {
            pump(strangers, milliseconds: 200)
            mostLinked = max(mostLinked, strangers.count { !$0.linkedPeers.isEmpty })
        }
        flood.start()
        let result = try host.admitsJoiner(context, room: "keep", name: "real", within: 30)
        peak = max(peak, try peakResident(host.target, until: started.addingTimeInterval(25)))
        flood.stop()
        let linked = strangers.filter { !$0.linkedPeers.isEmpty }.count
        // No link at all would test nothing: that is an attack that could not run, not a defence.
        guard mostLinked > 0 else { throw AttackError("none of the 1,200 strangers ever got a link") }
        let cpu = Double((host.target.cpuTicks ?? 0) - cpuBefore) / 100 / Date().timeIntervalSince(started)
        // The attacker leaves without a word: its links time out at the host.
        let memory = MemoryFigures(before: before, peak: peak, after: try residentAfterQuiet(host.target))
        return [Row(
            attack: "10,000 completed handshakes held 25 s (here 1,200 from 40 hosts, over twice the 512-link cap)",
            measured: "at most \(mostLinked) of 1,200 held a link at once (\(linked) at the end); \(memory); \(Int(cpu * 100))% of a core; " + admission(result, limit: 30),
            holds: memory.holds && result.joined)]
    }

    /// Row 4: links whose reliable streams arrive with holes, so the host must hold fragments out of order.
    static let fragments = Attack(
        name: "fragments",
        summary: "200 links streaming 64 KiB messages with a third of their datagrams withheld, so fragments arrive out of order"
    ) { context in
        let host = try RoomHost(context, room: "frag", players: 3)
        defer { host.target.stop() }
        let before = try resident(host.target)
        let strangers = try connectStrangers(200, perHost: 40, subnet: "127.0.2", seed: 0xF4A6, to: host)
        guard pump(strangers, milliseconds: 8000, until: { strangers.allSatisfy { !$0.linkedPeers.isEmpty } }) else {
            throw AttackError("only \(strangers.filter { !$0.linkedPeers.isEmpty }.count) of 200 strangers linked")
        }
        var random = SystemRandomNumberGenerator()
        for stranger in strangers { stranger.sendFilter = { _ in Int.random(in: 0..<3, using: &random) != 0 } }
        let message = [UInt8](repeating: 0xA5, count: 65536)
        let started = Date()
        var peak = before
        var sent = 0
        let flood = FloodThread {
            for stranger in strangers {
                // Keep each link's window full: an unknown channel, so the host only buffers and drops.
                for peer in stranger.linkedPeers where stranger.sendReliable(message, channel: 0x33, to: peer) { sent += 1 }
            }
            pump(strangers, milliseconds: 100)
        }
        flood.start()
        let result = try host.admitsJoiner(context, room: "frag", name: "real", within: 30)
        peak = max(peak, try peakResident(host.target, until: started.addingTimeInterval(20)))
        flood.stop()
        // Silent from now on: the links time out at the host.
        for stranger in strangers { stranger.sendFilter = { _ in false } }
        let memory = MemoryFigures(before: before, peak: peak, after: try residentAfterQuiet(host.target))
        return [Row(
            attack: "200 links, each with 2,047 out-of-order fragments (here: 64 KiB messages with a third of the datagrams withheld)",
            measured: "\(sent) messages queued; \(memory); " + admission(result, limit: 30),
            holds: memory.holds && result.joined)]
    }
}

/// Strangers on `count / perHost` source hosts `SUBNET.1`, `SUBNET.2`, ..., each dialling `host`.
func connectStrangers(_ count: Int, perHost: Int, subnet: String, seed: UInt64, to host: RoomHost) throws -> [Stranger] {
    let strangers = try (0..<count).map { try Stranger(ip: "\(subnet).\(1 + $0 / perHost)", seed: seed + UInt64($0)) }
    for stranger in strangers { stranger.connect(to: host.address) }
    return strangers
}

/// A host's resident set before, at the peak of, and after a flood (KiB), and the verdict:
/// under +64 MB at the peak, and back within 16 MB of where it started.
struct MemoryFigures: CustomStringConvertible {
    let before: Int
    let peak: Int
    let after: Int

    var holds: Bool { (peak - before) / 1024 < 64 && (after - before) / 1024 < 16 }
    var description: String {
        "host RSS \(before / 1024) MB → peak \(peak / 1024) MB (+\((peak - before) / 1024) MB) → \(after / 1024) MB after"
    }
}

/// The highest resident set seen, sampled every 250 ms until `deadline`.
func peakResident(_ target: Target, until deadline: Date) throws -> Int {
    var peak = try resident(target)
    while Date() < deadline {
        peak = max(peak, try resident(target))
        usleep(250_000)
    }
    return peak
}

/// The resident set 15 s after an attack stopped (past the 5 s link timeout and the 10 s reaper).
func residentAfterQuiet(_ target: Target) throws -> Int {
    usleep(15_000_000)
    return try resident(target)
}

/// A target's resident set in KiB, or an error if it died.
func resident(_ target: Target) throws -> Int {
    guard let kib = target.residentKiB else { throw AttackError("\(target.name) exited: \(target.standardError.suffix(300))") }
    return kib
}
