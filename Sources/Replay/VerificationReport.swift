import MeshplayCore

/// What `ReplayVerifier` found out about one replay.
public struct VerificationReport: Equatable, Sendable {
    /// The verdict.
    public enum Status: String, Hashable, Sendable {
        /// Readable, complete, and every recorded checksum matched the re-simulation.
        case ok
        /// Readable, but the re-simulation disagrees with a recorded checksum or outcome.
        case mismatch
        /// Unreadable, cut off, tampered with, or for a game this build cannot run.
        case malformed
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
    /// Whether the file stops before its trailer (then `status` is `.malformed`).
    public var isTruncated: Bool

    /// A report from its fields (the verifier fills them in).
    public init(
        file: String? = nil, status: Status, game: GameIdentity? = nil, players: [PlayerInfo] = [], ticks: Int = 0,
        finalChecksum: StateChecksum? = nil, firstBadTick: Tick? = nil, expectedChecksum: StateChecksum? = nil,
        actualChecksum: StateChecksum? = nil, mismatchDetail: String? = nil, error: DecodingError? = nil,
        isTruncated: Bool = false
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
    }
}

extension VerificationReport: CustomStringConvertible {
    /// One line for a terminal, for example
    /// `game.mpr: ok, snake v1, 4 players (ann, bo, cy, di), 3600 ticks, final checksum 00c0ffee00c0ffee`.
    /// Names and reasons come from the file, so control characters are replaced.
    public var description: String {
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
        if let error { parts.append("error at byte \(error.offset): \(Self.printable(error.reason))") }
        let line = parts.joined(separator: ", ")
        guard let file else { return line }
        return "\(Self.printable(file)): \(line)"
    }

    /// `text` with control characters (which could drive a terminal) replaced by U+FFFD.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) ? "\u{FFFD}" : scalar
        }))
    }
}
