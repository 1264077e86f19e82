@testable import Lobby
import MeshplayCore
import MeshTransport
import Testing

@Suite("Room protocol codec, password proof and seed commitments")
struct ProtocolTests {
    let peerA = PeerID(high: 0x0102_0304_0506_0708, low: 0x1112_1314_1516_1718)
    let peerB = PeerID(high: 7, low: 9)

    var samples: [RoomMessage] {
        let settings = LobbyHarness.settings()
        let secret = [UInt8](repeating: 5, count: 32)
        return [
            .query, .info(nil),
            .info(RoomSummary(settings: settings, host: peerA, memberCount: 3, isRunning: false, engineVersion: 1)),
            .signedInfo(SignedRoomInfo(summary: RoomSummary(settings: settings, host: peerA, memberCount: 3, isRunning: true, engineVersion: 1),
                                       publicKey: [UInt8](repeating: 3, count: 32), signature: [UInt8](repeating: 4, count: 64))),
            .signedInfo(SignedRoomInfo(summary: nil, publicKey: [UInt8](repeating: 3, count: 32), signature: [UInt8](repeating: 4, count: 64))),
            .hello, .challenge(nonce: [1, 2, 3]),
            .join(JoinRequest(engineVersion: 1, games: [LobbyHarness.game], name: "Zoë", proof: [9, 9])),
            .refused(.wrongPassword(room: "arena")), .refused(.roomFull(room: "arena", cap: 4)),
            .refused(.notHost(host: peerB)), .refused(.notHost(host: nil)),
            .refused(.engineVersionMismatch(room: "r", host: 1, joiner: 2)),
            .refused(.gameVersionMismatch(room: "r", game: LobbyHarness.game)),
            .state(RoomStateMessage(
                epoch: RoomEpoch(generation: 2, counter: 7), host: peerA, phase: .waiting, nextJoinOrder: 3,
                settings: settings, members: [RoomMember(peer: peerA, joinOrder: 0, name: "a", isReady: true)])),
            .setReady(true), .leave, .chat(sequence: 42, text: "hi"), .chatRefused(sequence: 3),
            .startRound(round: 2, participants: [peerA, peerB]), .commit(round: 2, digest: secret),
            .commitSet(round: 2, digests: [secret, secret]), .reveal(round: 2, secret: secret),
            .go(round: 2, secrets: [secret], countdownMilliseconds: 3000),
            .startAborted(round: 2, removed: [peerB], reason: .badReveal),
        ]
    }

    @Test func everyMessageRoundTrips() throws {
        for message in samples {
            #expect(try RoomMessage(decoding: message.bytes) == message)
        }
    }

    @Test func truncatedAndTrailingBytesAreRefused() {
        for message in samples {
            let bytes = message.bytes
            for length in 0..<bytes.count { #expect(throws: DecodingError.self) { try RoomMessage(decoding: Array(bytes.prefix(length))) } }
            #expect(throws: DecodingError.self) { try RoomMessage(decoding: bytes + [0]) }
        }
    }

    @Test func randomBytesNeverTrap() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<20_000 {
            let count = Int(random.next(below: 80))
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if !bytes.isEmpty { bytes[0] = RoomMessage.version }
            _ = try? RoomMessage(decoding: bytes)
        }
    }

    @Test func hostileNamesAreSanitisedOnDecode() throws {
        let state = RoomMessage.state(RoomStateMessage(
            epoch: .zero, host: peerA, phase: .waiting, nextJoinOrder: 1, settings: LobbyHarness.settings(),
            members: [RoomMember(peer: peerA, joinOrder: 0, name: "\u{1B}]0;pwn\u{7}evil\u{202E}", isReady: false)]))
        guard case .state(let decoded) = try RoomMessage(decoding: state.bytes) else { Issue.record("not a state"); return }
        #expect(decoded.members[0].name == "evil")
    }

    @Test func passwordProof() {
        let nonce = [UInt8](repeating: 3, count: 16)
        let proof = RoomPassword.proof(password: "hunter2", nonce: nonce, joiner: peerA)
        #expect(RoomPassword.verify(proof, password: "hunter2", nonce: nonce, joiner: peerA))
        #expect(!RoomPassword.verify(proof, password: "hunter3", nonce: nonce, joiner: peerA))
        #expect(!RoomPassword.verify(proof, password: "hunter2", nonce: nonce, joiner: peerB))
        #expect(!RoomPassword.verify(proof, password: "hunter2", nonce: [UInt8](repeating: 4, count: 16), joiner: peerA))
        #expect(!proof.contains(where: { _ in false }) && !String(decoding: proof, as: UTF8.self).contains("hunter2"))
    }

    @Test func commitmentsBindSecretAndPeer() {
        let secret = [UInt8](repeating: 1, count: 32)
        let commitment = SeedCommitment.commitment(secret: secret, peer: peerA)
        #expect(SeedCommitment.opens(commitment, secret: secret, peer: peerA))
        #expect(!SeedCommitment.opens(commitment, secret: secret, peer: peerB))
        #expect(!SeedCommitment.opens(commitment, secret: [UInt8](repeating: 2, count: 32), peer: peerA))
        let one = SeedCommitment.seedDigest(round: 1, secrets: [secret, [UInt8](repeating: 2, count: 32)])
        let swapped = SeedCommitment.seedDigest(round: 1, secrets: [[UInt8](repeating: 2, count: 32), secret])
        #expect(one != swapped)
    }
}
