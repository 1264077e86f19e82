import Attestation
import MeshplayCore

/// Re-simulates a replay and checks it against its recorded checksums.
///
/// The file is decoded as a stream: one inputs array is reused for every tick, and
/// the state is only hashed at checkpoints and at the end, so verification costs
/// little more than the game's own steps.
public enum ReplayVerifier {
    /// Called now and then with the ticks simulated so far and the ticks the file claims in all.
    public typealias Progress = (_ ticksDone: Int, _ totalTicks: Int) -> Void

    /// How many ticks pass between progress calls.
    static let progressStride = 1 << 16

    /// Verifies a replay held in memory. Never traps on hostile bytes: problems are reported.
    ///
    /// The verdict is the first problem in file order: a checksum that differs makes it
    /// `.mismatch` even if the file is damaged further on. A file that stops at a record
    /// boundary before its trailer (a killed process) is `.incomplete` ("truncated at byte N
    /// after tick T") after re-simulating what is there; one that stops inside a record is
    /// `.malformed`, since a single changed length byte looks the same.
    ///
    /// In a signed (version 3) file every attestation is checked against the statement built
    /// from the re-simulation (its checksum and input hash at that tick): one that does not hold
    /// makes it `.mismatch` at that tick, naming the slot. The report lists each slot's last
    /// attested tick.
    public static func verify(bytes: [UInt8], catalog: GameCatalog, progress: Progress? = nil) -> VerificationReport {
        var report = VerificationReport(status: .malformed)
        var reader: ReplayReader
        do {
            reader = try ReplayReader(bytes: bytes)
        } catch {
            report.error = asDecodingError(error, offset: 0)
            report.isTruncated = report.error?.reason.hasPrefix("truncated") ?? false
            if report.isTruncated, report.error?.offset == bytes.count { report.status = .incomplete }
            return report
        }
        let header = reader.header
        report.game = header.game
        report.players = header.players
        let game: any RunningGame
        do {
            game = try catalog.makeGame(header.game, config: header.config, players: header.players, seed: header.seed)
        } catch {
            report.error = asDecodingError(error, offset: reader.headerOffset)
            return report
        }
        let totalTicks = progress == nil ? 0 : claimedTickCount(of: bytes)
        var nextProgress = 0
        var signatures = header.attestation.map { AttestationCheck(plan: $0, header: header) }
        report.attested = signatures.map { _ in Array(repeating: nil, count: header.players.count) }

        do {
            loop: while true {
                switch try reader.next() {
                case .advance(let count):
                    // A local copy keeps the array retained once for the whole run, not per step;
                    // it dies before the reader next changes the inputs, so no copy is ever made.
                    let inputs = reader.inputs
                    if signatures == nil {
                        for _ in 0..<count { game.step(inputs: inputs) }
                    } else {
                        signatures!.step(game, count: count, inputs: inputs, chain: &reader.inputChain)
                    }
                    if let progress, Int(game.tick.rawValue) >= nextProgress {
                        progress(Int(game.tick.rawValue), totalTicks)
                        nextProgress = Int(game.tick.rawValue) + progressStride
                    }
                case .checkpoint(let checkpoint):
                    let actual = game.checksum()
                    if actual != checkpoint.checksum, report.status != .mismatch {
                        report.status = .mismatch
                        report.firstBadTick = checkpoint.tick
                        report.expectedChecksum = checkpoint.checksum
                        report.actualChecksum = actual
                        // A signed file goes on to the first signature that fails, to name its slot.
                        if signatures == nil { break loop }
                    }
                case .attestation(let attestation):
                    if signatures?.holds(attestation) == true {
                        report.attested?[attestation.slot.index] = attestation.tick
                    } else {
                        if report.status != .mismatch { report.firstBadTick = attestation.tick }
                        report.status = .mismatch
                        report.badAttestationSlot = attestation.slot
                        report.badAttestationTick = attestation.tick
                        report.mismatchDetail = "the signature of slot \(attestation.slot.index) at tick \(attestation.tick) does not hold"
                        break loop
                    }
                case .event(let event, _):
                    event.apply(to: game)
                case .end(let trailer):
                    let actual = game.checksum()
                    if report.status == .mismatch {
                        // A checkpoint differed and every signature after it held (or there was none).
                    } else if actual != trailer.finalChecksum {
                        report.status = .mismatch
                        report.firstBadTick = trailer.finalTick
                        report.expectedChecksum = trailer.finalChecksum
                        report.actualChecksum = actual
                    } else if let recorded = trailer.outcome, recorded != game.outcome.map(ReplayOutcomeSummary.init) {
                        report.status = .mismatch
                        report.firstBadTick = trailer.finalTick
                        report.mismatchDetail = "recorded outcome differs from the re-simulated one"
                    } else {
                        report.status = .ok
                        report.endedEarly = trailer.endedEarly
                    }
                    break loop
                case .truncated(let truncation):
                    report.isTruncated = true
                    if truncation.offset == bytes.count {
                        report.error = DecodingError(offset: truncation.offset, reason: truncation.description)
                        report.status = .incomplete
                    } else {
                        // The writers only ever append whole records, so a stray tail is damage (a changed
                        // length byte reads exactly like this) or a write torn by a power loss: malformed.
                        report.error = DecodingError(offset: truncation.offset, reason: truncation.description
                            + " (\(bytes.count - truncation.offset) bytes of a record cut short or damaged)")
                    }
                    break loop
                }
            }
        } catch {
            report.error = asDecodingError(error, offset: 0)
        }
        if let progress, totalTicks > 0 { progress(Int(game.tick.rawValue), totalTicks) }
        report.ticks = Int(game.tick.rawValue)
        report.finalChecksum = game.checksum()
        return report
    }

    /// Reads and verifies the replay file at `path`; a file that cannot be opened or read is `.unreadable`.
    public static func verify(path: String, catalog: GameCatalog, progress: Progress? = nil) -> VerificationReport {
        let bytes: [UInt8]
        do {
            bytes = try POSIXFile.readAll(path: path)
        } catch {
            return VerificationReport(file: path, status: .unreadable, error: DecodingError(offset: 0, reason: "\(error)"))
        }
        var report = verify(bytes: bytes, catalog: catalog, progress: progress)
        report.file = path
        return report
    }

    /// The tick count the file's records claim (trailer, else last whole block), for progress
    /// display only: a quick pass over the record framing and check chain.
    static func claimedTickCount(of bytes: [UInt8]) -> Int {
        guard var scanner = try? ReplayRecordScanner(bytes: bytes) else { return 0 }
        var claimed = 0
        while case .record(let span)? = try? scanner.next() {
            guard span.type != .header else { continue }
            // Blocks and the trailer both start with a varint tick.
            var reader = ByteReader(bytes, range: span.payload)
            guard let tick = try? reader.readVarint(max: Int(UInt32.max)) else { break }
            claimed = max(claimed, tick)
        }
        return claimed
    }

    private static func asDecodingError(_ error: any Error, offset: Int) -> DecodingError {
        if let decoding = error as? DecodingError { return decoding }
        return DecodingError(offset: offset, reason: "\(error)")
    }
}
