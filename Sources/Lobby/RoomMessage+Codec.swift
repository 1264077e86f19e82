import MeshplayCore
import MeshTransport

extension RoomMessage {
    enum Kind: UInt8 {
        case query = 1, info, hello, challenge, join, refused, state, setReady, leave, chat, chatRefused
        case startRound, commit, commitSet, reveal, go, startAborted, signedInfo
    }

    /// The canonical encoding: version byte, kind byte, fields.
    var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.writeByte(Self.version)
        switch self {
        case .query:
            writer.writeByte(Kind.query.rawValue)
        case .info(let summary):
            writer.writeByte(Kind.info.rawValue)
            Self.write(summary, to: &writer)
        case .signedInfo(let info):
            writer.writeByte(Kind.signedInfo.rawValue)
            Self.write(info.summary, to: &writer)
            writer.writeBytes(info.publicKey)
            writer.writeBytes(info.signature)
        case .hello:
            writer.writeByte(Kind.hello.rawValue)
        case .challenge(let nonce):
            writer.writeByte(Kind.challenge.rawValue)
            writer.writeLengthPrefixed(nonce)
        case .join(let request):
            writer.writeByte(Kind.join.rawValue)
            writer.writeUInt16(request.engineVersion)
            writer.writeVarint(request.games.count)
            for game in request.games { game.write(to: &writer) }
            writer.writeString(request.name)
            writer.writeLengthPrefixed(request.proof)
        case .refused(let refusal):
            writer.writeByte(Kind.refused.rawValue)
            refusal.write(to: &writer)
        case .state(let state):
            writer.writeByte(Kind.state.rawValue)
            writer.writeVarint(state.epoch.generation)
            writer.writeVarint(state.epoch.counter)
            state.host.write(to: &writer)
            writer.writeByte(state.phase.rawValue)
            writer.writeUInt32(state.nextJoinOrder)
            state.settings.encode(to: &writer)
            writer.writeVarint(state.members.count)
            for member in state.members {
                member.peer.write(to: &writer)
                writer.writeUInt32(member.joinOrder)
                writer.writeString(member.name)
                writer.writeBool(member.isReady)
            }
        case .setReady(let ready):
            writer.writeByte(Kind.setReady.rawValue)
            writer.writeBool(ready)
        case .leave:
            writer.writeByte(Kind.leave.rawValue)
        case .chat(let sequence, let text):
            writer.writeByte(Kind.chat.rawValue)
            writer.writeVarint(sequence)
            writer.writeString(text)
        case .chatRefused(let sequence):
            writer.writeByte(Kind.chatRefused.rawValue)
            writer.writeVarint(sequence)
        case .startRound(let round, let participants):
            writer.writeByte(Kind.startRound.rawValue)
            writer.writeUInt32(round)
            writer.writeVarint(participants.count)
            for peer in participants { peer.write(to: &writer) }
        case .commit(let round, let digest):
            writer.writeByte(Kind.commit.rawValue)
            writer.writeUInt32(round)
            writer.writeBytes(digest)
        case .commitSet(let round, let digests):
            writer.writeByte(Kind.commitSet.rawValue)
            writer.writeUInt32(round)
            writer.writeVarint(digests.count)
            for digest in digests { writer.writeBytes(digest) }
        case .reveal(let round, let secret):
            writer.writeByte(Kind.reveal.rawValue)
            writer.writeUInt32(round)
            writer.writeBytes(secret)
        case .go(let round, let secrets, let countdown):
            writer.writeByte(Kind.go.rawValue)
            writer.writeUInt32(round)
            writer.writeVarint(secrets.count)
            for secret in secrets { writer.writeBytes(secret) }
            writer.writeUInt32(countdown)
        case .startAborted(let round, let removed, let reason):
            writer.writeByte(Kind.startAborted.rawValue)
            writer.writeUInt32(round)
            writer.writeVarint(removed.count)
            for peer in removed { peer.write(to: &writer) }
            writer.writeByte(reason.code)
        }
        return writer.bytes
    }

    /// An `info` answer's fields: `present`, then the summary.
    private static func write(_ summary: RoomSummary?, to writer: inout ByteWriter) {
        writer.writeBool(summary != nil)
        guard let summary else { return }
        summary.settings.encode(to: &writer)
        summary.host.write(to: &writer)
        writer.writeVarint(summary.memberCount)
        writer.writeBool(summary.isRunning)
        writer.writeUInt16(summary.engineVersion)
    }

    private static func readSummary(from reader: inout ByteReader) throws -> RoomSummary? {
        guard try reader.readBool() else { return nil }
        let settings = try RoomSettings(from: &reader)
        let host = try PeerID.read(from: &reader)
        let count = try reader.readVarint(max: Self.maxMembers, "member count")
        let running = try reader.readBool()
        let engine = try reader.readUInt16()
        return RoomSummary(settings: settings, host: host, memberCount: count, isRunning: running, engineVersion: engine)
    }

    /// Decodes one message; throws on anything malformed, oversized or trailing.
    init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard bytes.count <= Self.maxBytes else { throw reader.error("room message of \(bytes.count) bytes") }
        guard try reader.readByte() == Self.version else { throw reader.error("unknown room protocol version") }
        guard let kind = Kind(rawValue: try reader.readByte()) else { throw reader.error("unknown room message kind") }
        let digestSize = SeedCommitment.size
        switch kind {
        case .query:
            self = .query
        case .info:
            self = .info(try Self.readSummary(from: &reader))
        case .signedInfo:
            let summary = try Self.readSummary(from: &reader)
            let key = try reader.readBytes(count: SignedRoomInfo.keyBytes)
            self = .signedInfo(SignedRoomInfo(summary: summary, publicKey: key, signature: try reader.readBytes(count: SignedRoomInfo.signatureBytes)))
        case .hello:
            self = .hello
        case .challenge:
            self = .challenge(nonce: try reader.readLengthPrefixed(max: 64))
        case .join:
            let engine = try reader.readUInt16()
            let count = try reader.readVarint(max: JoinRequest.maxGames, "game count")
            var games: [GameIdentity] = []
            for _ in 0..<count { games.append(try GameIdentity.read(from: &reader)) }
            let name = try reader.readString(maxBytes: Self.maxNameBytes)
            let proof = try reader.readLengthPrefixed(max: 64)
            self = .join(JoinRequest(engineVersion: engine, games: games, name: name, proof: proof))
        case .refused:
            self = .refused(try RoomRefusal.read(from: &reader))
        case .state:
            let generation = try reader.readVarint()
            let epoch = RoomEpoch(generation: generation, counter: try reader.readVarint())
            let host = try PeerID.read(from: &reader)
            guard let phase = RoomStateMessage.WirePhase(rawValue: try reader.readByte()) else { throw reader.error("unknown phase") }
            let nextJoinOrder = try reader.readUInt32()
            let settings = try RoomSettings(from: &reader)
            let count = try reader.readVarint(max: Self.maxMembers, "member count")
            var members: [RoomMember] = []
            for _ in 0..<count {
                let peer = try PeerID.read(from: &reader)
                let order = try reader.readUInt32()
                let name = PlayerName.clean(try reader.readString(maxBytes: Self.maxNameBytes))
                members.append(RoomMember(peer: peer, joinOrder: order, name: name, isReady: try reader.readBool()))
            }
            self = .state(RoomStateMessage(
                epoch: epoch, host: host, phase: phase, nextJoinOrder: nextJoinOrder, settings: settings, members: members))
        case .setReady:
            self = .setReady(try reader.readBool())
        case .leave:
            self = .leave
        case .chat:
            let sequence = try reader.readVarint()
            self = .chat(sequence: sequence, text: try reader.readString(maxBytes: ChatText.maxBytes * 2))
        case .chatRefused:
            self = .chatRefused(sequence: try reader.readVarint())
        case .startRound:
            let round = try reader.readUInt32()
            let count = try reader.readVarint(max: Self.maxMembers, "participant count")
            var participants: [PeerID] = []
            for _ in 0..<count { participants.append(try PeerID.read(from: &reader)) }
            self = .startRound(round: round, participants: participants)
        case .commit:
            let round = try reader.readUInt32()
            self = .commit(round: round, digest: try reader.readBytes(count: digestSize))
        case .commitSet:
            let round = try reader.readUInt32()
            let count = try reader.readVarint(max: Self.maxMembers, "commitment count")
            var digests: [[UInt8]] = []
            for _ in 0..<count { digests.append(try reader.readBytes(count: digestSize)) }
            self = .commitSet(round: round, digests: digests)
        case .reveal:
            let round = try reader.readUInt32()
            self = .reveal(round: round, secret: try reader.readBytes(count: digestSize))
        case .go:
            let round = try reader.readUInt32()
            let count = try reader.readVarint(max: Self.maxMembers, "reveal count")
            var secrets: [[UInt8]] = []
            for _ in 0..<count { secrets.append(try reader.readBytes(count: digestSize)) }
            self = .go(round: round, secrets: secrets, countdownMilliseconds: try reader.readUInt32())
        case .startAborted:
            let round = try reader.readUInt32()
            let count = try reader.readVarint(max: Self.maxMembers, "removed count")
            var removed: [PeerID] = []
            for _ in 0..<count { removed.append(try PeerID.read(from: &reader)) }
            guard let reason = RemovalReason(code: try reader.readByte()) else { throw reader.error("unknown removal reason") }
            self = .startAborted(round: round, removed: removed, reason: reason)
        }
        try reader.expectEnd("room message")
    }
}

extension RemovalReason {
    var code: UInt8 {
        switch self {
        case .badReveal: 1
        case .timedOut: 2
        case .roomGone: 3
        case .removedByHost: 4
        }
    }

    init?(code: UInt8) {
        switch code {
        case 1: self = .badReveal
        case 2: self = .timedOut
        case 3: self = .roomGone
        case 4: self = .removedByHost
        default: return nil
        }
    }
}

extension RoomRefusal {
    func write(to writer: inout ByteWriter) {
        switch self {
        case .wrongPassword(let room):
            writer.writeByte(1)
            writer.writeString(room)
        case .roomFull(let room, let cap):
            writer.writeByte(2)
            writer.writeString(room)
            writer.writeVarint(cap)
        case .gameRunning(let room):
            writer.writeByte(3)
            writer.writeString(room)
        case .engineVersionMismatch(let room, let host, let joiner):
            writer.writeByte(4)
            writer.writeString(room)
            writer.writeUInt16(host)
            writer.writeUInt16(joiner)
        case .gameVersionMismatch(let room, let game):
            writer.writeByte(5)
            writer.writeString(room)
            game.write(to: &writer)
        case .notHost(let host):
            writer.writeByte(6)
            writer.writeBool(host != nil)
            host?.write(to: &writer)
        case .busy(let room):
            writer.writeByte(7)
            writer.writeString(room)
        case .noAnswer:
            writer.writeByte(8)
        case .noRoom:
            writer.writeByte(9)
        }
    }

    static func read(from reader: inout ByteReader) throws -> RoomRefusal {
        let limit = RoomSettings.maxNameBytes
        func roomName() throws -> String { ChatText.sanitize(try reader.readString(maxBytes: limit)) }
        switch try reader.readByte() {
        case 1: return .wrongPassword(room: try roomName())
        case 2:
            let room = try roomName()
            return .roomFull(room: room, cap: try reader.readVarint(max: PlayerSlot.capacity, "cap"))
        case 3: return .gameRunning(room: try roomName())
        case 4:
            let room = try roomName()
            let host = try reader.readUInt16()
            return .engineVersionMismatch(room: room, host: host, joiner: try reader.readUInt16())
        case 5:
            let room = try roomName()
            return .gameVersionMismatch(room: room, game: try GameIdentity.read(from: &reader))
        case 6: return .notHost(host: try reader.readBool() ? try PeerID.read(from: &reader) : nil)
        case 7: return .busy(room: try roomName())
        case 8: return .noAnswer
        case 9: return .noRoom
        default: throw reader.error("unknown refusal")
        }
    }
}
