import Foundation
import MeshTransport

extension Attack {
    /// Rows 1 and 2: fabricated member records over a stranger's links into a live match.
    static let fabricatedRecords = Attack(
        name: "records",
        summary: "30 fabricated member records (28 pointing at third-party hosts) sent each second over a stranger's links into a live 3-peer match"
    ) { context in
        let match = try LiveMatch(context, ticks: 400)
        defer { match.stop() }
        try match.waitUntilPlaying()

        let attacker = try Stranger(seed: 0xBAD)
        let victims = try (2..<30).map { try RawSocket(ip: "127.0.0.\($0)") }
        for port in match.ports { attacker.connect(to: UDPAddress(ipAddress: "127.0.0.1", port: port)!) }
        guard pump([attacker], victims: victims, milliseconds: 5000, until: { attacker.linkedPeers.count == 3 }) else {
            throw AttackError("could not link to the three players (linked to \(attacker.linkedPeers.count))")
        }
        let fabricated = WireRecords.fabricatedIdentities(30, seed: 0xF00D).enumerated().map { index, identity in
            WireRecords.record(of: identity, address: index < victims.count ? victims[index].address : nil)
        }
        let message = WireRecords.sync([WireRecords.record(of: attacker.identity, address: nil)] + fabricated)
        var rounds = 0
        while match.isRunning {
            for peer in attacker.linkedPeers { attacker.sendReliable(message, channel: WireRecords.membershipChannel, to: peer) }
            rounds += 1
            pump([attacker], victims: victims, milliseconds: 1000)
        }
        // Whatever the players were made to dial still arrives for a while: listen on.
        pump([attacker], victims: victims, milliseconds: 3000)
        let results = match.finish()
        let reflected = victims.reduce(0) { $0 + $1.bytesReceived }
        let sent = attacker.socket.bytesSent
        let ratio = Double(reflected) / Double(max(sent, 1))
        let checksums = Set(results.compactMap(\.checksum))
        let agreed = results.allSatisfy { $0.exitCode == 0 && $0.checksum != nil && $0.didNotDrop } && checksums.count == 1
        return [
            Row(attack: "30 fabricated member records sent over one link into a live 3-peer match",
                measured: "\(rounds) rounds to all 3 players; final checksums \(results.map { $0.checksum ?? "none" }.joined(separator: " ")), "
                    + "dropped \(results.map { "\($0.dropped)" }.joined(separator: " ")), exit codes \(results.map { $0.exitCode.map(String.init) ?? "killed" }.joined(separator: " "))",
                holds: agreed),
            Row(attack: "28 fabricated member records pointing at third-party addresses",
                measured: "\(reflected) bytes reached the 28 addresses for \(sent) sent by the attacker (\(String(format: "%.3f", ratio))×)",
                holds: ratio <= 1.0),
        ]
    }
}
