import ArgumentParser
import Foundation
import MeshTransport
import MeshplayCore
import Netplay
import Replay
import Simulation
import Snake

extension SimCommand {
    /// Parses the network options into the library's match options; `validate()` calls it
    /// too, so a bad network option is refused before anything runs.
    func networkedOptions() throws -> NetworkedMatchOptions {
        for (name, value) in [("--loss", loss), ("--duplicate", duplicate), ("--reorder", reorder)] {
            if let value, !(0...1).contains(value) { throw ValidationError("\(name) must be 0-1, got \(value)") }
        }
        for (name, value) in [("--latency", latency), ("--jitter", jitter)] {
            if let value, !(0...10_000).contains(value) { throw ValidationError("\(name) must be 0-10000 milliseconds, got \(value)") }
        }
        let conditions = NetworkConditions(
            latency: .milliseconds(Int64(latency ?? 10)), jitter: .milliseconds(Int64(jitter ?? 0)),
            loss: loss ?? 0, duplication: duplicate ?? 0, reordering: reorder ?? 0)
        let partitions = try partition.map(Self.parsePartition)
        for cut in partitions where (cut.groupA + cut.groupB).contains(where: { $0 >= players }) {
            throw ValidationError("--partition names a seat beyond \(players - 1)")
        }
        let crashes = try crash.map { try Self.parseCrash($0) }
        for crash in crashes where crash.slot >= players { throw ValidationError("--crash names seat \(crash.slot) of \(players)") }
        let rejoins = try rejoin.map { try Self.parseCrash($0, option: "--rejoin") }
        for back in rejoins {
            guard let crash = crashes.first(where: { $0.slot == back.slot }), crash.tick < back.tick else {
                throw ValidationError("--rejoin \(back.slot)@\(back.tick) needs a --crash of seat \(back.slot) before tick \(back.tick)")
            }
        }
        if Set(rejoins.map(\.slot)).count != rejoins.count { throw ValidationError("--rejoin names a seat twice") }
        guard (0...32).contains(spectators) else { throw ValidationError("--spectators must be 0-32, got \(spectators)") }
        var paths: [String?] = Array(repeating: nil, count: players)
        if let recordDir { paths = (0..<players).map { "\(recordDir)/peer-\($0).mpr" } }
        if let record { paths[0] = record }
        var options = NetworkedMatchOptions(
            ticks: ticks, seed: seed, skill: skill.skill, conditions: conditions,
            partitions: partitions, crashes: crashes,
            latencyChanges: try latencyChange.map(Self.parseLatencyChange),
            peer: MatchConfiguration(tickRate: tickRate, adaptsInputDelay: !fixedDelay, stallTargetPerMillion: stallTarget),
            replayPaths: paths)
        options.rejoins = rejoins
        options.spectators = spectators
        if let recordDir {
            options.spectatorReplayPaths = (0..<spectators).map { "\(recordDir)/spectator-\($0).mpr" }
            // A restarted node records where its seat's node did, as a restarted bot would: the file is whole from tick 0.
            options.rejoinReplayPaths = rejoins.map { "\(recordDir)/peer-\($0.slot).mpr" }
        }
        return options
    }

    func runNetworked(identity: GameIdentity, config: [UInt8], seats: [PlayerInfo], mapName: String) throws {
        let options = try networkedOptions()
        if let recordDir { try FileManager.default.createDirectory(atPath: recordDir, withIntermediateDirectories: true) }
        let match = try NetworkedMatch(players: players, options: options, catalog: .builtin) {
            try GameCatalog.builtin.makeGame(identity, config: config, players: seats, seed: seed)
        }
        // A long run shows where it is on a terminal (stderr, so stdout and --json stay clean).
        var progress = ProgressLine.isShown ? ThrottledProgress() : nil
        let total = ticks
        let finished = match.run(progress: progress == nil ? nil : { tick in progress?.update("sim: tick \(tick) of \(total)") })
        progress?.finish()
        let report = NetworkedMatchReport(match: match, finished: finished)
        let game = match.peers[report.survivors.first ?? 0].game
        var written: [String] = []
        for path in (options.replayPaths + options.rejoinReplayPaths + options.spectatorReplayPaths).compactMap({ $0 })
        where FileManager.default.fileExists(atPath: path) && !written.contains(path) {
            written.append(path)
        }
        let mainReplay = record ?? written.first
        let replayBytes = mainReplay.flatMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }
        var summary = SimSummary(game: game, seed: seed, mapName: mapName, replayPath: mainReplay, replayBytes: replayBytes)
        summary.replayFiles = written
        // A seat taken again by a restarted node played to the end: its score is no leaver's.
        summary.leftAt = report.leavers.filter { !match.rejoinedSlots.contains($0.slot) }.map { ($0.slot, $0.tick) }
        print(json ? NetworkedSimSummary(base: summary, report: report).json : NetworkedSimSummary(base: summary, report: report).text)
        if !report.failures.isEmpty { throw ExitCode(1) }
    }

    /// `A-B@START-END`, seats in a group joined by `+`.
    static func parsePartition(_ text: String) throws -> NetworkedMatchOptions.Partition {
        let halves = text.split(separator: "@", omittingEmptySubsequences: false)
        let sides = halves.first?.split(separator: "-", omittingEmptySubsequences: false) ?? []
        let range = halves.count == 2 ? halves[1].split(separator: "-", omittingEmptySubsequences: false) : []
        func seats(_ part: Substring) -> [Int]? {
            let values = part.split(separator: "+").map { Int($0) }
            return values.isEmpty || values.contains(nil) ? nil : values.compactMap { $0 }
        }
        guard halves.count == 2, sides.count == 2, range.count == 2, let a = seats(sides[0]), let b = seats(sides[1]),
              let start = Int(range[0]), let end = Int(range[1]), start >= 0, end > start else {
            throw ValidationError("--partition wants A-B@START-END (e.g. 0+1-2@100-200), got \(text)")
        }
        return .init(groupA: a, groupB: b, startTick: start, endTick: end)
    }

    /// `MS@TICK`.
    static func parseLatencyChange(_ text: String) throws -> NetworkedMatchOptions.LatencyChange {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let milliseconds = Int(parts[0]), let tick = Int(parts[1]),
              (0...10_000).contains(milliseconds), tick >= 0 else {
            throw ValidationError("--latency-change wants MS@TICK with MS 0-10000 (e.g. 200@600), got \(text)")
        }
        return .init(tick: tick, latency: .milliseconds(Int64(milliseconds)))
    }

    /// `SLOT@TICK`.
    static func parseCrash(_ text: String, option: String = "--crash") throws -> NetworkedMatchOptions.Crash {
        let parts = text.split(separator: "@")
        guard parts.count == 2, let slot = Int(parts[0]), let tick = Int(parts[1]), slot >= 0, tick >= 0 else {
            throw ValidationError("\(option) wants SLOT@TICK, got \(text)")
        }
        return .init(slot: slot, tick: tick)
    }
}

/// `meshplay sim` output for a networked run: the plain summary's keys plus the network figures.
struct NetworkedSimSummary {
    let base: SimSummary
    let report: NetworkedMatchReport

    var json: String {
        let plain = base.json
        var network = JSONText()
        network.field("stallTicks", int: report.stallTicks)
        network.field("stallPercent", Self.hundredths(report.stallBasisPoints))
        var delay = JSONText()
        delay.field("initial", int: report.initialInputDelay)
        delay.field("final", int: report.finalInputDelay)
        network.field("inputDelayTicks", delay.object)
        var latency = JSONText()
        latency.field("p50", int: report.latencyP50Milliseconds)
        latency.field("p99", int: report.latencyP99Milliseconds)
        network.field("inputLatencyMs", latency.object)
        network.field("bytesPerPeerPerSecond", int: report.bytesPerPeerPerSecond)
        network.field("attestationBytesPerLinkPerSecond", Self.hundredths(report.attestationHundredthsPerLinkPerSecond))
        network.field("desyncs", int: report.desyncs)
        network.field("droppedPlayers", JSONText.array(report.droppedPlayers.map(String.init)))
        network.field("left", JSONText.array(report.leavers.map { leaver in
            var entry = JSONText()
            entry.field("slot", int: leaver.slot)
            entry.field("tick", int: leaver.tick)
            entry.field("reason", string: leaver.reason)
            return entry.object
        }))
        network.field("rejoins", JSONText.array(report.rejoins.map { rejoin in
            var entry = JSONText()
            entry.field("slot", int: rejoin.slot)
            entry.field("tick", int: rejoin.tick)
            entry.field("catchUpMs", int: rejoin.catchUpMilliseconds)
            return entry.object
        }))
        network.field("spectators", JSONText.array(report.spectators.map { spectator in
            var entry = JSONText()
            entry.field("feeder", int: spectator.feeder)
            entry.field("tick", int: spectator.tick)
            entry.field("finalChecksum", string: spectator.finalChecksum?.description)
            entry.field("bytesPerSecond", int: spectator.bytesPerSecond)
            return entry.object
        }))
        network.field("failures", JSONText.array(report.failures.map(JSONText.quoted)))
        // Merge: the plain object without its closing brace, then the network fields.
        let inner = network.object
        return String(plain.dropLast()) + ", " + String(inner.dropFirst())
    }

    var text: String {
        var lines = [base.text]
        lines.append("stalls \(report.stallTicks) of \(report.frames) frames (\(Self.hundredths(report.stallBasisPoints))%), input delay \(report.initialInputDelay) -> \(report.finalInputDelay) ticks")
        lines.append("input latency p50 \(report.latencyP50Milliseconds.map(String.init) ?? "-") ms, p99 \(report.latencyP99Milliseconds.map(String.init) ?? "-") ms; \(report.bytesPerPeerPerSecond) B/s sent per peer")
        lines.append("desyncs \(report.desyncs), dropped \(report.droppedPlayers)")
        for leaver in report.leavers { lines.append("left: slot \(leaver.slot) at tick \(leaver.tick), \(leaver.reason)") }
        for rejoin in report.rejoins {
            lines.append("rejoined: slot \(rejoin.slot) plays again from tick \(rejoin.tick), \(rejoin.catchUpMilliseconds) ms after asking")
        }
        for (index, spectator) in report.spectators.enumerated() {
            lines.append("spectator \(index): fed by slot \(spectator.feeder.map(String.init) ?? "-"), ended at tick \(spectator.tick), \(spectator.bytesPerSecond) B/s of history")
        }
        for failure in report.failures { lines.append("FAILED: \(failure)") }
        return lines.joined(separator: "\n")
    }

    static func hundredths(_ basisPoints: Int) -> String {
        "\(basisPoints / 100).\(basisPoints % 100 < 10 ? "0" : "")\(basisPoints % 100)"
    }
}
