import MeshTransport
import MeshplayCore

/// A stateful fuzz harness: two endpoints with real keys, driven by a script read from
/// arbitrary bytes (deliver, drop, duplicate, corrupt, inject, advance time, send,
/// reconnect, disconnect). The libFuzzer target `FuzzTesting/Sources/FuzzEndpoint` calls it,
/// and the `FailCases` unit test replays the corpus through it.
///
/// Invariants checked (a broken one traps):
/// - injected bytes (which cannot carry a valid tag) are never accepted and never cause
///   a reply larger than themselves;
/// - every datagram is at most ``PacketHeader/maxDatagram`` bytes;
/// - each side has at most one link and one pending connection;
/// - reliable messages arrive intact, exactly once and in order within a link's life.
public enum EndpointFuzzing {
    struct Wire {
        var to: Int
        var from: SimulatedAddress
        var bytes: [UInt8]
    }

    /// What a script achieved.
    public struct Summary: Sendable, Equatable {
        /// Links that came up (either side).
        public var linksUp = 0
        /// Reliable messages delivered (either side).
        public var reliableDelivered = 0
    }

    /// Runs the script in `bytes`.
    @discardableResult
    public static func exercise(_ bytes: [UInt8]) -> Summary {
        var summary = Summary()
        var script = Script(bytes: bytes)
        let credentials = MeshCredentials(meshName: "fuzz", password: "fuzz")
        var configuration = LinkConfiguration()
        configuration.maxSendBufferBytes = 64 * 1024
        var endpoints: [MeshEndpoint<SimulatedAddress>] = (0..<2).map { index in
            var entropy = SeededEntropy(seed: UInt64(index + 1))
            let identity = NodeIdentity(entropy: &entropy)
            return MeshEndpoint(identity: identity, credentials: credentials, configuration: configuration, entropy: entropy)
        }
        let addresses = [SimulatedAddress(node: 0), SimulatedAddress(node: 1)]
        var now = Timestamp.milliseconds(1000)
        var wires: [Wire] = []
        var output = EndpointOutput<SimulatedAddress>()
        var sent: [[[UInt8]]] = [[], []]        // sent[i]: reliable messages i sent to the other side
        var nextExpected = [0, 0]              // index into sent[other] of the next message i expects
        var resetSeen = [true, true]           // a link came up or went down since the last check
        var counter: UInt32 = 0

        func collect(from index: Int) {
            for datagram in output.datagrams {
                precondition(datagram.bytes.count <= PacketHeader.maxDatagram, "oversized datagram")
                if wires.count < 256, let target = addresses.firstIndex(of: datagram.address) {
                    wires.append(Wire(to: target, from: addresses[index], bytes: datagram.bytes))
                }
            }
            for event in output.events {
                switch event {
                case .linkUp:
                    summary.linksUp += 1
                    resetSeen = [true, true]
                case .linkLost:
                    resetSeen = [true, true]
                case .message(_, _, let payload, true):
                    let other = 1 - index
                    guard let position = sent[other][nextExpected[index]...].firstIndex(of: payload) else {
                        preconditionFailure("reliable message that was never sent")
                    }
                    precondition(position == nextExpected[index] || resetSeen[index], "reliable message out of order")
                    nextExpected[index] = position + 1
                    summary.reliableDelivered += 1
                    resetSeen[index] = false
                default:
                    break
                }
            }
            output.removeAll()
            let state = endpoints[index].stateCount
            precondition(state.links <= 1 && state.pendingConnections <= 1, "state grew")
        }

        endpoints[0].connect(to: addresses[1], at: now, into: &output)
        collect(from: 0)
        while let op = script.byte() {
            switch op % 10 {
            case 0, 1, 2:  // deliver the oldest (or a chosen) datagram in flight
                guard !wires.isEmpty else { continue }
                let pick = op % 10 == 0 ? 0 : Int(script.byte() ?? 0) % wires.count
                let wire = wires.remove(at: pick)
                endpoints[wire.to].receive(wire.bytes, from: wire.from, at: now, into: &output)
                endpoints[wire.to].flush(at: now, into: &output)
                collect(from: wire.to)
            case 3:  // drop
                if !wires.isEmpty { wires.removeFirst() }
            case 4:  // duplicate
                if let first = wires.first, wires.count < 256 { wires.append(first) }
            case 5:  // corrupt a byte of the oldest datagram
                guard !wires.isEmpty else { continue }
                let position = Int(script.byte() ?? 0) % wires[0].bytes.count
                wires[0].bytes[position] ^= script.byte() ?? 1
            case 6:  // inject raw bytes from a stranger
                let target = Int(op / 10) % 2
                let raw = script.bytes(Int(script.byte() ?? 0))
                let before = endpoints[target].counters.accepted
                endpoints[target].receive(raw, from: SimulatedAddress(node: 100 + UInt32(script.byte() ?? 0)), at: now, into: &output)
                precondition(endpoints[target].counters.accepted == before, "stranger bytes accepted")
                for reply in output.datagrams { precondition(reply.bytes.count <= raw.count, "amplification") }
                collect(from: target)
            case 7:  // time passes
                now = now + .milliseconds(Int64(script.byte() ?? 0) * 8)
                for index in 0..<2 {
                    endpoints[index].tick(at: now, into: &output)
                    collect(from: index)
                }
            case 8:  // send a reliable (or unreliable) message
                let from = Int(op / 10) % 2
                let size = Int(script.byte() ?? 0) * 260
                counter += 1
                var payload = [UInt8](repeating: UInt8(truncatingIfNeeded: counter), count: max(size, 4))
                payload[0] = UInt8(truncatingIfNeeded: counter)
                payload[1] = UInt8(truncatingIfNeeded: counter >> 8)
                payload[2] = UInt8(truncatingIfNeeded: counter >> 16)
                payload[3] = UInt8(from)
                let peer = endpoints[1 - from].peerID
                if op / 10 % 4 < 2 {
                    if endpoints[from].sendReliable(payload, channel: 1, to: peer) == .queued { sent[from].append(payload) }
                } else {
                    _ = endpoints[from].sendUnreliable(Array(payload.prefix(1000)), channel: 2, to: peer)
                }
                endpoints[from].flush(at: now, into: &output)
                collect(from: from)
            default:  // reconnect or disconnect
                let side = Int(op / 10) % 2
                if op / 10 % 4 < 2 {
                    endpoints[side].connect(to: addresses[1 - side], at: now, into: &output)
                } else {
                    endpoints[side].disconnect(endpoints[1 - side].peerID, at: now, into: &output)
                }
                collect(from: side)
            }
        }
        return summary
    }

    struct Script {
        let bytes: [UInt8]
        var offset = 0

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func bytes(_ count: Int) -> [UInt8] {
            let end = min(bytes.count, offset + count)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }
}
