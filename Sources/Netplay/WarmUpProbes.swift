import Lockstep
import MeshplayCore

/// The round trips a match measures before it starts: small probes on an unreliable
/// channel to every other player, each echoing the latest probe heard from that player
/// and how long it was held, so both ends measure a round trip per exchange.
///
/// Wire form of a probe: sequence (varint), then the latest sequence heard from the
/// receiver plus one (0: none) and, when non-zero, how long it was held in microseconds.
/// Sans-I/O: ``probes(at:)`` returns the bytes to send, ``receive(_:from:at:)`` takes one.
struct WarmUpProbes: Sendable {
    /// What one peer's probes told us.
    struct PeerState: Sendable {
        /// Round trips measured through echoed probes.
        var roundTrips: [TimeSpan] = []
        /// Probes received and the highest sequence seen.
        var received = 0
        var highest = -1
        /// The latest probe received: its sequence and arrival time (echoed back).
        var latest: (sequence: Int, at: Timestamp)?
    }

    /// Round trips kept per peer: enough for the lead's percentiles, bounded whatever the warm-up length.
    static let maxRoundTrips = 1024

    private var sentAt: [Timestamp] = []
    private(set) var peers: [PeerState]

    /// Probes for `players` seats (the local seat's entry stays empty).
    init(players: Int) { peers = Array(repeating: PeerState(), count: players) }

    /// The probe for each other seat at `now` (one sequence number for the round), by slot.
    mutating func probes(at now: Timestamp, skipping local: Int) -> [(slot: Int, bytes: [UInt8])] {
        let sequence = sentAt.count
        // Past the sequence bound the round trips measured are plenty; stop numbering further.
        guard sequence < 1 << 20 else { return [] }
        sentAt.append(now)
        return peers.indices.filter { $0 != local }.map { index in
            var writer = ByteWriter(capacity: 12)
            writer.writeVarint(sequence)
            if let latest = peers[index].latest {
                writer.writeVarint(latest.sequence + 1)
                writer.writeVarint(UInt64(max(0, (now - latest.at).microseconds)))
            } else {
                writer.writeVarint(0)
            }
            return (index, writer.bytes)
        }
    }

    /// Takes one probe from seat `index`; malformed bytes are ignored.
    mutating func receive(_ bytes: [UInt8], from index: Int, at now: Timestamp) {
        guard peers.indices.contains(index) else { return }
        var reader = ByteReader(bytes)
        guard let sequence = try? reader.readVarint(max: 1 << 20), let echo = try? reader.readVarint(max: 1 << 20) else { return }
        var state = peers[index]
        state.received += 1
        if sequence > state.highest {
            state.highest = sequence
            state.latest = (sequence, now)
        }
        if echo > 0, echo - 1 < sentAt.count, let held = try? reader.readVarint(max: 10_000_000), reader.isAtEnd {
            let trip = now - sentAt[echo - 1] - .microseconds(Int64(held))
            if trip >= .zero, state.roundTrips.count < Self.maxRoundTrips { state.roundTrips.append(trip) }
        }
        peers[index] = state
    }

    /// Whether every other seat has at least `samples` round trips.
    func hasSamples(_ samples: Int, skipping local: Int) -> Bool {
        peers.indices.allSatisfy { $0 == local || peers[$0].roundTrips.count >= samples }
    }

    /// What warm-up measured on each link to another seat, in slot order.
    func links(skipping local: Int) -> [LockstepLead.Link] {
        peers.indices.filter { $0 != local }.map { index in
            let state = peers[index]
            return LockstepLead.Link(roundTrips: state.roundTrips, sent: state.highest + 1, received: state.received)
        }
    }
}
