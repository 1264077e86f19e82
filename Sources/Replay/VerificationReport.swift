import MeshplayCore

/// What `ReplayVerifier` found out about one replay.
public struct VerificationReport: Equatable, Sendable {
    /// The verdict.
    public enum Status: String, Hashable, Sendable {
        /// Readable, complete, and every recorded checksum matched the re-simulation.
        case ok
        /// Readable, but the re-simulation disagrees with a recorded checksum or outcome.
        case mismatch
        /// Unreadable, damaged, tampered with, or for a game this build cannot run.
        case malformed
        /// Cut off at a record boundary before its trailer (a killed process): every whole
        /// tick that is there was re-simulated and matched its checksums.
        case incomplete
        /// The file could not be opened or read (missing, a folder, no permission).
        case unreadable
    }

    /// The file's path, when verified from a file.
    public var file: String?
    /// The verdict.
    public var status: Status
    /// The recorded game, once the header was read.
    public var game: GameIdentity?
    /// The recorded players in slot order, once the header was read.
    public var players: [PlayerInfo]
    /// How many ticks were re-simulated.
    public var ticks: Int
    /// The checksum of the re-simulated state after the last tick simulated (and its events).
    public var finalChecksum: StateChecksum?
    /// On a mismatch: the first checkpoint (or the final tick) whose checksum differs.
    /// The divergence happened at or before it, after the previous checkpoint.
    public var firstBadTick: Tick?
    /// On a mismatch: the checksum the file recorded at `firstBadTick`.
    public var expectedChecksum: StateChecksum?
    /// On a mismatch: the checksum the re-simulation computed at `firstBadTick`.
    public var actualChecksum: StateChecksum?
    /// On a mismatch that is not about a checksum (the recorded outcome), what differs.
    public var mismatchDetail: String?
    /// When malformed: where and why.
    public var error: DecodingError?
    /// Whether the file stops before its trailer: `status` is `.incomplete` when it stops at a
    /// record boundary, `.malformed` inside a record, `.mismatch` when a checksum before the cut differs.
    public var isTruncated: Bool
    /// Why a complete recording stopped before the game called it ("left the match"), from its trailer.
    public var endedEarly: String?
    /// Signed (version 3) files: per slot, the last tick whose attestation held (nil: none).
    /// Nil for an unsigned file.
    public var attested: [Tick?]?
    /// On a mismatch in a signed file: the first attestation, in file order, whose signature does
    /// not hold for the re-simulated game (its slot and tick).
    public var badAttestationSlot: PlayerSlot?
    /// The tick of that attestation.
    public var badAttestationTick: Tick?

    /// A report from its fields (the verifier fills them in).
    public init(
        file: String? = nil, status: Status, game: GameIdentity? = nil, players: [PlayerInfo] = [], ticks: Int = 0,
        finalChecksum: StateChecksum? = nil, firstBadTick: Tick? = nil, expectedChecksum: StateChecksum? = nil,
        actualChecksum: StateChecksum? = nil, mismatchDetail: String? = nil, error: DecodingError? = nil,
        isTruncated: Bool = false, endedEarly: String? = nil
    ) {
        self.file = file
        self.status = status
        self.game = game
        self.players = players
        self.ticks = ticks
        self.finalChecksum = finalChecksum
        self.firstBadTick = firstBadTick
        self.expectedChecksum = expectedChecksum
        self.actualChecksum = actualChecksum
        self.mismatchDetail = mismatchDetail
        self.error = error
        self.isTruncated = isTruncated
        self.endedEarly = endedEarly
    }
}

extension VerificationReport: CustomStringConvertible {
    /// One line for a terminal, for example
    /// `game.mpr: ok, snake v1, 4 players (ann, bo, cy, di), 3600 ticks, final checksum 00c0ffee00c0ffee`.
    /// Names and reasons come from the file, so control characters are replaced.
    public var description: String {
        if status == .unreadable, let error {
            // "cannot open PATH: No such file or directory (errno 2)" names the file already.
            return Self.printable(error.reason)
        }
        var parts: [String] = []
        parts.append(status.rawValue)
        if let game { parts.append(Self.printable(game.description)) }
        if !players.isEmpty {
            let names = players.map { Self.printable($0.name) }.joined(separator: ", ")
            parts.append("\(players.count) player\(players.count == 1 ? "" : "s") (\(names))")
        }
        parts.append("\(ticks) ticks")
        if let finalChecksum { parts.append("final checksum \(finalChecksum)") }
        if let firstBadTick {
            var mismatch = "first bad tick \(firstBadTick)"
            if let expectedChecksum, let actualChecksum { mismatch += ": expected \(expectedChecksum), got \(actualChecksum)" }
            if let mismatchDetail { mismatch += ": \(Self.printable(mismatchDetail))" }
            parts.append(mismatch)
        }
        if let attested {
            let slots = attested.enumerated().map { "\($0.offset): \($0.element.map { "\($0.rawValue)" } ?? "none")" }
            parts.append("attested (slot: last tick) " + slots.joined(separator: ", "))
        }
        if let endedEarly { parts.append("ended early at tick \(ticks): \(Self.printable(endedEarly))") }
        if let error { parts.append("error at byte \(error.offset): \(Self.printable(error.reason))") }
        let line = parts.joined(separator: ", ")
        guard let file else { return line }
        return "\(Self.printable(file)): \(line)"
    }

    /// `text` with control, bidi and invisible characters (which could drive a terminal or
    /// disguise a name) replaced by U+FFFD.
    static func printable(_ text: String) -> String { ChatText.markingHidden(text) }
}
