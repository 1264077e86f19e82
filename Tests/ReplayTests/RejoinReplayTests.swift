import Crypto
import MeshplayCore
import Replay
import Testing

/// Replay format 3: a player who left comes back (a leave entry for a slot that has left).
@Suite("Replays with a player who rejoined")
struct RejoinReplayTests {
    /// Four seats, slot 1 leaves at 100 and is back at 180, then leaves for good at 260; signed.
    func rejoinScript(seed: UInt64 = 7) -> MatchScript {
        var script = MatchScript()
        script.seed = seed
        script.events = [
            ReplayTimedEvent(tick: Tick(100), event: .leave(slot: PlayerSlot(1))),
            ReplayTimedEvent(tick: Tick(180), event: .rejoin(slot: PlayerSlot(1))),
            ReplayTimedEvent(tick: Tick(180), event: .chat(slot: PlayerSlot(1), text: "back")),
            ReplayTimedEvent(tick: Tick(260), event: .leave(slot: PlayerSlot(1))),
        ]
        var random = SeededRandom(seed: seed)
        script.signers = (0..<script.players).map { _ in
            try! Curve25519.Signing.PrivateKey(rawRepresentation: (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        return script
    }

    /// Every item the reader hands out until the end, with the inputs in force at each advance.
    func items(_ reader: inout ReplayReader) throws -> [String] {
        var items: [String] = []
        while true {
            let item = try reader.next()
            if case .truncated = item { return items }
            items.append("\(item)")
            if case .advance = item { items[items.count - 1] += " \(reader.inputs.map(\.rawValue))" }
            if case .end = item { return items }
        }
    }

    @Test("a signed file with a leave and a rejoin of the same slot round-trips")
    func rejoinRoundTrips() throws {
        let match = try recordMatch(rejoinScript())
        // Version 3 (signed) in the preamble.
        #expect(match.bytes[8] == 3 && match.bytes[9] == 0)
        let file = try ReplayFile(bytes: match.bytes)
        #expect(file.header.attestation?.publicKeys.count == 4)
        #expect(file.events == rejoinScript().events)
        var reader = try ReplayReader(bytes: match.bytes)
        var stepped: [[PlayerInput]] = []
        var events: [ReplayTimedEvent] = []
        loop: while true {
            switch try reader.next() {
            case .advance(let count): stepped += Array(repeating: reader.inputs, count: count)
            case .event(let event, let tick): events.append(ReplayTimedEvent(tick: tick, event: event))
            case .checkpoint, .attestation: continue
            case .end, .truncated: break loop
            }
        }
        #expect(events == rejoinScript().events)
        #expect(stepped == match.inputs)
    }

    @Test("the verifier restores the returning player: the file verifies, and would not without the restore")
    func verifierRestoresThePlayer() throws {
        let match = try recordMatch(rejoinScript())
        let report = ReplayVerifier.verify(bytes: match.bytes, catalog: testCatalog)
        #expect(report.status == .ok, "\(report)")
        #expect(report.finalChecksum == match.finalChecksum)
        #expect(report.attested == [Tick(300), Tick(300), Tick(300), Tick(300)], "\(String(describing: report.attested))")

        // The same inputs and events with the return ignored end elsewhere: restoring matters.
        let header = match.header
        let game = try testCatalog.makeGame(header.game, config: header.config, players: header.players, seed: header.seed)
        var reader = try ReplayReader(bytes: match.bytes)
        loop: while true {
            switch try reader.next() {
            case .advance(let count): for _ in 0..<count { game.step(inputs: reader.inputs) }
            case .event(.rejoin, _): continue
            case .event(let event, _): event.apply(to: game)
            case .checkpoint, .attestation: continue
            case .end, .truncated: break loop
            }
        }
        #expect(game.checksum() != match.finalChecksum)
    }

    @Test("a rejoin is refused in an unsigned (version 2) file, and for a slot that has not left")
    func encoderRefusesRejoins() throws {
        let game = try testCatalog.makeGame(GridWalker.identity, config: GridWalker.Config().canonicalBytes, players: playerNames(3), seed: 1)
        var unsigned = ReplayEncoder()
        try unsigned.begin(ReplayHeader(recording: game, ticksPerSecond: 30, checkpointInterval: 10))
        try unsigned.record(tick: .zero, inputs: [.none, .none, .none])
        try unsigned.record(event: .leave(slot: PlayerSlot(2)), at: Tick(1))
        #expect(throws: ReplayWriteError.self) { try unsigned.record(event: .rejoin(slot: PlayerSlot(2)), at: Tick(1)) }
        // The unsigned file is still version 2, with the leave only.
        try unsigned.finish(finalChecksum: game.checksum())
        let bytes = unsigned.takeOutput()
        #expect(bytes[8] == 2)
        #expect(try ReplayFile(bytes: bytes).events == [ReplayTimedEvent(tick: Tick(1), event: .leave(slot: PlayerSlot(2)))])

        var script = rejoinScript()
        script.events = [ReplayTimedEvent(tick: Tick(50), event: .rejoin(slot: PlayerSlot(2)))]
        #expect(throws: ReplayWriteError.self) { try recordMatch(script) }
    }

    @Test("the streaming reader fed a file in small pieces yields the whole file's items", arguments: [UInt64(1), 2, 3, 4])
    func appendInPieces(seed: UInt64) throws {
        let match = try recordMatch(rejoinScript(seed: seed))
        var whole = try ReplayReader(bytes: match.bytes)
        let expected = try items(&whole)
        #expect(expected.last?.hasPrefix("end") == true)

        var random = SeededRandom(seed: seed)
        var offset = 0
        func piece() -> [UInt8] {
            let end = min(match.bytes.count, offset + 1 + Int(random.next(below: seed == 1 ? 1 : 40)))
            defer { offset = end }
            return Array(match.bytes[offset..<end])
        }
        // The reader starts once the header record is whole, as a subscriber's does.
        var start: [UInt8] = []
        var reader: ReplayReader?
        while reader == nil, offset < match.bytes.count {
            start += piece()
            reader = try? ReplayReader(bytes: start)
        }
        var streamed = try items(&reader!)
        var pieces = 0
        while offset < match.bytes.count {
            reader!.append(piece())
            streamed += try items(&reader!)
            pieces += 1
        }
        #expect(pieces > 20)
        #expect(reader!.byteCount == match.bytes.count)
        #expect(streamed == expected)
    }
}
