/// Constants and limits of the replay file format, version 3 (versions 1 and 2 are still read).
///
/// The layout is described in `ReplayFormat.md` in the documentation catalog.
/// Every limit here is checked by the reader before anything is allocated, so a
/// hostile file can only make the reader throw, never trap or run away.
public enum ReplayFormat {
    /// The first eight bytes of every replay file. The high first byte catches 7-bit
    /// channels and the CR LF pair catches newline translation, as PNG's signature does.
    public static let magic: [UInt8] = [0x89, 0x4D, 0x50, 0x52, 0x0D, 0x0A, 0x1A, 0x0A]  // \x89 M P R \r \n \x1A \n

    /// The format version this build writes for an unsigned recording. Version 2 added the
    /// trailer's early ending. Unsigned files stay version 2, so older readers still read them.
    public static let version: UInt16 = 2

    /// The format version of a signed recording: version 3 added the header's attestation
    /// interval and public keys, and attestation records.
    public static let signedVersion: UInt16 = 3

    /// The format versions this build reads.
    public static let readableVersions: ClosedRange<UInt16> = 1...3

    /// Magic plus the little-endian format version this build writes.
    public static var preamble: [UInt8] { preamble(version: version) }

    /// Magic plus a little-endian format version.
    public static func preamble(version: UInt16) -> [UInt8] {
        magic + [UInt8(truncatingIfNeeded: version), UInt8(truncatingIfNeeded: version >> 8)]
    }

    /// Size of `preamble` in bytes.
    public static let preambleSize = 10

    /// Size of the check value that ends every record.
    public static let checkSize = 8

    /// The largest record payload accepted (the header with a maximal config is about 70 KiB).
    public static let maxRecordPayload = 1 << 20

    /// The most bytes of game config a header may carry.
    public static let maxConfigBytes = 1 << 16

    /// The most bytes of a game id.
    public static let maxGameIDBytes = 32

    /// The most bytes of a player name (UTF-8).
    public static let maxNameBytes = 64

    /// The most bytes of one chat line (UTF-8); longer lines are cut by the writer.
    public static let maxChatBytes = 200

    /// The most bytes of an outcome's reason text; longer reasons are cut by the writer.
    public static let maxOutcomeReasonBytes = 128

    /// Bounds of the header's tick rate.
    public static let ticksPerSecondRange: ClosedRange<Int> = 1...1000

    /// The largest attestation interval, in ticks.
    public static let maxAttestationInterval = 1 << 24

    /// Bounds of the checkpoint interval K.
    public static let checkpointIntervalRange: ClosedRange<Int> = 1...1_000_000

    /// The most ticks one block (or the trailer) may move the game forward.
    /// This keeps the work of verifying proportional to the file's size: a tiny
    /// crafted file cannot claim billions of ticks.
    public static let maxTicksPerBlock = 4096

    /// The record kinds, in the one order a file may contain them.
    public enum RecordType: UInt8, Sendable {
        /// Exactly one, first: who played what game.
        case header = 1
        /// Any number: the input stream, events and checkpoints of a span of ticks.
        case block = 2
        /// Exactly one, last: final tick, final checksum, outcome.
        case trailer = 3
        /// Version 3, any number between the header and the trailer: one player's signed
        /// checkpoint, for a tick that the blocks before it reach.
        case attestation = 4
    }

    /// The entry kinds inside a block, stored in the low two bits of each entry's key.
    enum EntryKind: UInt64 {
        case inputs = 0
        case chat = 1
        case leave = 2
        case checkpoint = 3
    }

    /// Order of entries within one tick: the checkpoint (state before the tick's events),
    /// then events in the order they happened, then the inputs that step the tick.
    enum EntryPhase: Int {
        case checkpoint = 0
        case event = 1
        case inputs = 2
    }
}
