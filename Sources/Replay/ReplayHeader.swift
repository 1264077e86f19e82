import Attestation
import MeshplayCore

/// Everything needed to start the recorded game again: who played which game, with
/// what settings and seed.
public struct ReplayHeader: Hashable, Sendable {
    /// `MeshplayVersion.engine` of the recording build (informational).
    public var engineVersion: UInt16
    /// `MeshplayVersion.string` of the recording build (informational).
    public var engineVersionString: String
    /// The game and its rules version; the verifier needs exactly this one.
    public var game: GameIdentity
    /// The canonical encoding of the game's config.
    public var config: [UInt8]
    /// The seed the game was started with.
    public var seed: UInt64
    /// Players in slot order; `players[i].slot` is slot `i`.
    public var players: [PlayerInfo]
    /// Simulation rate, for playback speed and the writer's flush interval.
    public var ticksPerSecond: Int
    /// Checkpoints are recorded at ticks that are multiples of this interval (K).
    public var checkpointInterval: Int
    /// Version 3: the attestation interval and every player's public key; nil for an unsigned
    /// recording (and for every version 1-2 file).
    public var attestation: AttestationPlan?

    /// A header from its fields; `engineVersion` defaults to this build's.
    public init(
        engineVersion: UInt16 = MeshplayVersion.engine,
        engineVersionString: String = MeshplayVersion.string,
        game: GameIdentity,
        config: [UInt8],
        seed: UInt64,
        players: [PlayerInfo],
        ticksPerSecond: Int,
        checkpointInterval: Int,
        attestation: AttestationPlan? = nil
    ) {
        self.engineVersion = engineVersion
        self.engineVersionString = engineVersionString
        self.game = game
        self.config = config
        self.seed = seed
        self.players = players
        self.ticksPerSecond = ticksPerSecond
        self.checkpointInterval = checkpointInterval
        self.attestation = attestation
    }

    /// The header describing a freshly started `game`.
    public init(recording game: any RunningGame, ticksPerSecond: Int, checkpointInterval: Int, attestation: AttestationPlan? = nil) {
        self.init(
            game: game.identity, config: game.configBytes, seed: game.seed, players: game.players,
            ticksPerSecond: ticksPerSecond, checkpointInterval: checkpointInterval, attestation: attestation)
    }

    /// Why this header cannot be written, or nil when it is within the format's limits.
    public var problem: String? {
        if !Self.isValidGameID(game.id) { return "game id \"\(game.id)\" is not 1-\(ReplayFormat.maxGameIDBytes) lowercase letters, digits or dashes" }
        if engineVersionString.utf8.count > ReplayFormat.maxGameIDBytes { return "engine version string is too long" }
        if config.count > ReplayFormat.maxConfigBytes { return "config has \(config.count) bytes, limit \(ReplayFormat.maxConfigBytes)" }
        if players.isEmpty || players.count > PlayerSlot.capacity { return "\(players.count) players, must be 1-\(PlayerSlot.capacity)" }
        for (index, player) in players.enumerated() {
            if player.slot.index != index { return "player \(index) has slot \(player.slot.index)" }
            if player.name.utf8.count > ReplayFormat.maxNameBytes { return "name of \(player.slot) exceeds \(ReplayFormat.maxNameBytes) bytes" }
        }
        if !ReplayFormat.ticksPerSecondRange.contains(ticksPerSecond) { return "tick rate \(ticksPerSecond) out of range" }
        if !ReplayFormat.checkpointIntervalRange.contains(checkpointInterval) { return "checkpoint interval \(checkpointInterval) out of range" }
        if let attestation {
            if attestation.interval < 1 || attestation.interval % checkpointInterval != 0 || attestation.interval > ReplayFormat.maxAttestationInterval {
                return "attestation interval \(attestation.interval) is not a multiple of \(checkpointInterval) up to \(ReplayFormat.maxAttestationInterval)"
            }
            if attestation.publicKeys.count != players.count || attestation.publicKeys.contains(where: { $0.count != AttestationStatement.publicKeySize }) {
                return "attestation needs one \(AttestationStatement.publicKeySize)-byte public key per player"
            }
        }
        return nil
    }

    static func isValidGameID(_ id: String) -> Bool {
        let bytes = id.utf8
        guard !bytes.isEmpty, bytes.count <= ReplayFormat.maxGameIDBytes else { return false }
        return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// Writes the header record's payload. The caller has checked `problem`.
    func encode(to writer: inout ByteWriter, formatVersion: UInt16) {
        writer.writeUInt16(engineVersion)
        writer.writeString(engineVersionString)
        writer.writeString(game.id)
        writer.writeUInt16(game.version)
        writer.writeLengthPrefixed(config)
        writer.writeUInt64(seed)
        writer.writeVarint(ticksPerSecond)
        writer.writeVarint(checkpointInterval)
        writer.writeVarint(players.count)
        for player in players {
            writer.writeUInt8(player.slot.rawValue)
            writer.writeString(player.name)
        }
        // Version 3: the attestation interval (0: unsigned), then each slot's public key.
        guard formatVersion >= 3 else { return }
        writer.writeVarint(attestation?.interval ?? 0)
        for key in attestation?.publicKeys ?? [] { writer.writeBytes(key) }
    }

    /// Reads a header record's payload, checking every field against the format's limits.
    init(from reader: inout ByteReader, formatVersion: UInt16) throws {
        engineVersion = try reader.readUInt16()
        engineVersionString = try reader.readString(maxBytes: ReplayFormat.maxGameIDBytes)
        let idOffset = reader.offset
        let id = try reader.readString(maxBytes: ReplayFormat.maxGameIDBytes)
        guard Self.isValidGameID(id) else { throw DecodingError(offset: idOffset, reason: "invalid game id") }
        game = GameIdentity(id: id, version: try reader.readUInt16())
        config = try reader.readLengthPrefixed(max: ReplayFormat.maxConfigBytes)
        seed = try reader.readUInt64()
        let rateOffset = reader.offset
        ticksPerSecond = try reader.readVarint(max: ReplayFormat.ticksPerSecondRange.upperBound, "tick rate")
        guard ticksPerSecond >= 1 else { throw DecodingError(offset: rateOffset, reason: "tick rate 0") }
        let intervalOffset = reader.offset
        checkpointInterval = try reader.readVarint(max: ReplayFormat.checkpointIntervalRange.upperBound, "checkpoint interval")
        guard checkpointInterval >= 1 else { throw DecodingError(offset: intervalOffset, reason: "checkpoint interval 0") }
        let countOffset = reader.offset
        let count = try reader.readVarint(max: PlayerSlot.capacity, "player count")
        guard count >= 1 else { throw DecodingError(offset: countOffset, reason: "no players") }
        var players: [PlayerInfo] = []
        players.reserveCapacity(count)
        for index in 0..<count {
            let slotOffset = reader.offset
            guard Int(try reader.readUInt8()) == index else {
                throw DecodingError(offset: slotOffset, reason: "player \(index) has the wrong slot")
            }
            players.append(PlayerInfo(slot: PlayerSlot(index), name: try reader.readString(maxBytes: ReplayFormat.maxNameBytes)))
        }
        self.players = players
        attestation = formatVersion >= 3 ? try Self.readAttestation(&reader, playerCount: count, checkpointInterval: checkpointInterval) : nil
    }

    private static func readAttestation(_ reader: inout ByteReader, playerCount: Int, checkpointInterval: Int) throws -> AttestationPlan? {
        let offset = reader.offset
        let interval = try reader.readVarint(max: ReplayFormat.maxAttestationInterval, "attestation interval")
        guard interval != 0 else { return nil }
        guard interval % checkpointInterval == 0 else {
            throw DecodingError(offset: offset, reason: "attestation interval \(interval) is not a multiple of \(checkpointInterval)")
        }
        var keys: [[UInt8]] = []
        for _ in 0..<playerCount { keys.append(try reader.readBytes(count: AttestationStatement.publicKeySize)) }
        return AttestationPlan(interval: interval, publicKeys: keys)
    }
}
