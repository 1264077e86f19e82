import MeshTransport
/// One entry point that drives every decoder reachable from the network with
/// arbitrary bytes and checks their invariants; the libFuzzer target in
/// `FuzzTesting/` calls it, and a unit test replays the `FailCases` corpus through it.
///
/// It needs no keys: it covers what runs before authentication (header parsing,
/// replay window) and what an authenticated peer controls after it (handshake
/// plaintexts, frames, acknowledgement blocks, reliable reassembly).
public enum PacketFuzzing {
    /// Exercises the decoders with `bytes`; traps if an invariant breaks.
    public static func exercise(_ bytes: [UInt8]) {
        if let header = try? PacketHeader(parsing: bytes) {
            var rewritten: [UInt8] = []
            header.write(to: &rewritten)
            precondition(rewritten == Array(bytes.prefix(header.size)), "header does not round-trip")
        }
        guard let mode = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch mode % 4 {
        case 0: frames(body)
        case 1: handshake(body)
        case 2: replayWindow(body)
        default: header(body)
        }
    }

    static func frames(_ plaintext: [UInt8]) {
        var receiver = ReliableReceiver()
        var delivered = 0
        guard var decoder = try? FrameDecoder(plaintext: plaintext) else { return }
        if let ack = decoder.ack {
            precondition(ack.acknowledges(ack.largest))
            precondition(!ack.acknowledges(ack.largest &+ 1) || ack.largest == .max)
        }
        while true {
            guard let frame = try? decoder.next() else { return }
            switch frame {
            case .reliable(let channel, let sequence, let first, let last, let payload):
                precondition(payload.count <= Frame.maxFramePayload)
                do {
                    try receiver.receive(channel: channel, sequence: sequence, first: first, last: last, payload: payload) { _, message in
                        precondition(message.count <= ReliableWindow.maxMessageSize)
                        delivered += 1
                    }
                } catch {
                    return
                }
            case .unreliable(_, let payload):
                precondition(payload.count <= PacketHeader.maxPayload)
            case .ping, .close:
                break
            }
        }
    }

    static func handshake(_ plaintext: [UInt8]) {
        for type in PacketType.allCases {
            if let message = try? HandshakeMessage(type: type, plaintext: plaintext) {
                precondition(message.encoded() == plaintext, "handshake message does not round-trip")
                precondition(message.packetType == type)
            }
        }
    }

    static func replayWindow(_ bytes: [UInt8]) {
        var window = ReplayWindow()
        var index = 0
        while index + 8 <= bytes.count {
            var sequence: UInt64 = 0
            for offset in 0..<8 { sequence |= UInt64(bytes[index + offset]) << UInt64(8 * offset) }
            sequence >>= UInt64(bytes[index] % 48)  // mostly small, nearby numbers
            index += 8
            if window.isFresh(sequence) {
                window.record(sequence)
                precondition(!window.isFresh(sequence), "recorded sequence still fresh")
            }
            precondition(!window.isFresh(window.newest), "newest is fresh")
        }
    }

    static func header(_ bytes: [UInt8]) {
        _ = try? PacketHeader(parsing: bytes)
    }
}
