import MeshplayCore
import MeshplayTestSupport
import Replay
import Testing

@Suite("Damaged and tampered files")
struct TamperTests {
    @Test("every single-byte change (XOR 0x01 and 0xFF at every position) is caught")
    func singleByteChanges() throws {
        let match = try recordMatch(standardScript())
        let bytes = match.bytes
        #expect(bytes.count >= 500)
        for position in bytes.indices {
            for pattern: UInt8 in [0x01, 0xFF] {
                var damaged = bytes
                damaged[position] ^= pattern
                let report = ReplayVerifier.verify(bytes: damaged, catalog: testCatalog)
                #expect(report.status != .ok, "byte \(position) ^ \(pattern) went unnoticed")
            }
        }
    }

    @Test("a file cut between records is incomplete, inside one malformed, and both name the byte its whole records end at")
    func truncationEverywhere() throws {
        let match = try recordMatch(standardScript())
        let bytes = match.bytes
        let records = try ReplayRecordScanner.records(in: bytes).records
        let headerEnd = records[0].end
        for length in 0..<bytes.count {
            let report = ReplayVerifier.verify(bytes: Array(bytes[0..<length]), catalog: testCatalog)
            let atBoundary = length == 0 || length == ReplayFormat.preambleSize || records.contains { $0.end == length }
            #expect(report.status == (atBoundary ? .incomplete : .malformed), "cut at \(length): \(report)")
            #expect(report.isTruncated, "cut at \(length): \(report)")
            // The last whole record before the cut, and the ticks its blocks cover.
            let whole = records.filter { $0.end <= length }
            let expectedOffset = length < ReplayFormat.preambleSize ? 0 : (whole.last?.end ?? ReplayFormat.preambleSize)
            #expect(report.error?.offset == expectedOffset, "cut at \(length)")
            if length >= headerEnd {
                let ticks = try whole.last.map { $0.type == .block ? try leadingTick(of: $0, in: bytes) : 0 } ?? 0
                let cutShort = length == expectedOffset ? "" : " (\(length - expectedOffset) bytes of a record cut short or damaged)"
                #expect(report.error?.reason == "truncated at byte \(expectedOffset) after tick \(ticks)" + cutShort)
                #expect(report.ticks == Int(ticks))
                #expect(report.game == GridWalker.identity)
            }
        }
        #expect(ReplayVerifier.verify(bytes: bytes, catalog: testCatalog).status == .ok)
    }

    @Test("random bytes are malformed, with or without a valid start")
    func randomBytes() throws {
        var random = SeededRandom(seed: 7)
        let valid = try recordMatch(standardScript()).bytes
        let headerEnd = try ReplayRecordScanner.records(in: valid).records[0].end
        for round in 0..<300 {
            let length = Int(random.next(below: 2000))
            var noise = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            switch round % 3 {
            case 1: noise = ReplayFormat.preamble + noise
            case 2: noise = Array(valid[0..<headerEnd]) + noise
            default: break
            }
            let report = ReplayVerifier.verify(bytes: noise, catalog: testCatalog)
            // Noise whose first "record" claims more bytes than follow cannot be told from a cut file.
            #expect(report.status == .malformed || (report.status == .incomplete && noise.count <= headerEnd), "\(report)")
            #expect(report.error != nil)
        }
    }

    @Test("absurd claimed counts and lengths are refused before anything is allocated")
    func absurdLengths() throws {
        func header(playerCount: UInt64, nameLength: UInt64 = 3) -> [UInt8] {
            var writer = ByteWriter()
            writer.writeUInt16(1)
            writer.writeString("0.1.0")
            writer.writeString("grid-walker")
            writer.writeUInt16(1)
            writer.writeLengthPrefixed(GridWalker.Config().canonicalBytes)
            writer.writeUInt64(9)
            writer.writeVarint(30)
            writer.writeVarint(10)
            writer.writeVarint(playerCount)
            writer.writeUInt8(0)
            writer.writeVarint(nameLength)
            writer.writeBytes(Array("ann".utf8))
            return writer.bytes
        }
        let hugePlayers = ReplayVerifier.verify(bytes: framedFile([(.header, header(playerCount: 1 << 40))]), catalog: testCatalog)
        #expect(hugePlayers.status == .malformed)
        #expect(hugePlayers.error?.reason.contains("player count") == true)

        let hugeName = ReplayVerifier.verify(bytes: framedFile([(.header, header(playerCount: 1, nameLength: 1 << 40))]), catalog: testCatalog)
        #expect(hugeName.status == .malformed)
        #expect(hugeName.error?.reason.contains("exceeds limit") == true)

        // A record claiming 2^40 payload bytes, and one claiming 2^63.
        for claimed: UInt64 in [1 << 40, 1 << 63] {
            var writer = ByteWriter()
            writer.writeUInt8(ReplayFormat.RecordType.header.rawValue)
            writer.writeVarint(claimed)
            let report = ReplayVerifier.verify(bytes: ReplayFormat.preamble + writer.bytes + [1, 2, 3], catalog: testCatalog)
            #expect(report.status == .malformed)
            #expect(report.error?.reason.contains("exceeds limit") == true)
        }

        // A valid chain whose blocks claim to skip billions of ticks.
        let skip = framedFile([(.header, header(playerCount: 1)), (.block, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])])
        let skipReport = ReplayVerifier.verify(bytes: skip, catalog: testCatalog)
        #expect(skipReport.status == .malformed)
        #expect(skipReport.ticks == 0)
        #expect(skipReport.error?.reason.contains("limit 4096") == true)
    }

    @Test("a forger who keeps the chain valid but changes an input is caught at the next checkpoint")
    func forgedInput() throws {
        let honest = try recordMatch(standardScript())
        var forgery = standardScript()
        let original = honest.inputs[57][2]
        forgery.inputOverride = (tick: 57, slot: 2, input: PlayerInput(rawValue: original.rawValue == 3 ? 4 : 3))
        forgery.forgedCheckpoints = honest.checkpoints
        forgery.forgedFinalChecksum = honest.finalChecksum
        let forged = try recordMatch(forgery)
        #expect(throws: Never.self) { try ReplayRecordScanner.records(in: forged.bytes) }  // the chain is intact

        let report = ReplayVerifier.verify(bytes: forged.bytes, catalog: testCatalog)
        #expect(report.status == .mismatch)
        #expect(report.firstBadTick == Tick(60))
        #expect(report.expectedChecksum == honest.checkpoints[6].checksum)
        #expect(report.actualChecksum != nil && report.actualChecksum != report.expectedChecksum)
        #expect(report.ticks == 60)
    }

    @Test("a forged final checksum is caught even with no checkpoint after the change")
    func forgedFinalChecksum() throws {
        var script = standardScript()
        script.inputOverride = (tick: 295, slot: 0, input: PlayerInput(rawValue: 77))
        let honest = try recordMatch(standardScript())
        script.forgedFinalChecksum = honest.finalChecksum
        let report = ReplayVerifier.verify(bytes: try recordMatch(script).bytes, catalog: testCatalog)
        #expect(report.status == .mismatch)
        #expect(report.firstBadTick == Tick(300))
    }
}

@Suite("Hostile content behind a valid chain")
struct ChainedGarbageTests {
    @Test("mutated payloads re-framed with correct checks never crash the reader or verifier")
    func mutatedPayloads() async throws {
        try await OffThePool.compute {
            let bytes = try recordMatch(standardScript()).bytes
            let spans = try ReplayRecordScanner.records(in: bytes).records
            let records = spans.map { ($0.type, Array(bytes[$0.payload])) }
            var random = SeededRandom(seed: 2024)
            var malformed = 0
            var mismatches = 0
            for _ in 0..<1500 {
                var mutated = records
                let index = random.nextIndex(below: mutated.count)
                var payload = mutated[index].1
                switch random.next(below: 4) {
                case 0 where !payload.isEmpty:  // flip a few bits
                    for _ in 0...random.next(below: 3) { payload[random.nextIndex(below: payload.count)] ^= UInt8(1 << random.next(below: 8)) }
                case 1 where !payload.isEmpty:  // cut the payload short
                    payload.removeLast(1 + random.nextIndex(below: payload.count))
                case 2:  // insert random bytes
                    let at = payload.isEmpty ? 0 : random.nextIndex(below: payload.count)
                    payload.insert(contentsOf: (0...random.next(below: 8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
                default:  // overwrite with extreme varints
                    let at = payload.isEmpty ? 0 : random.nextIndex(below: payload.count)
                    payload.insert(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], at: at)
                }
                mutated[index].1 = payload
                let file = framedFile(mutated)
                let report = ReplayVerifier.verify(bytes: file, catalog: testCatalog)
                if report.status == .malformed { malformed += 1 }
                if report.status == .mismatch { mismatches += 1 }
                if let error = report.error { #expect(error.offset >= 0 && error.offset <= file.count) }
                _ = try? ReplayFile(bytes: file)
                if let playback = try? ReplayPlayback(bytes: file, catalog: testCatalog) {
                    try? playback.seek(to: Tick(UInt32.max))
                }
            }
            // Most mutations break the structure; the rest must show up as mismatches (chat text aside).
            #expect(malformed > 500)
            #expect(mismatches > 0)
        }
    }
}
