import Foundation
import MeshplayCore

/// A replay file rewritten from the format doc (Replay.docc/ReplayFormat.md): records are
/// `type:u8 length:varint payload check:u64`, each check chained from the one before with the
/// engine's StateHasher, so a forger who knows the format can change any record and re-chain.
enum ForgedReplay {
    static let preambleSize = 10

    /// `file` with the header's player names replaced by `names` (as many as it has players) and every check recomputed.
    static func renamingPlayers(in file: [UInt8], to names: [String]) throws -> [UInt8] {
        guard file.count > preambleSize else { throw AttackError("the replay is too short") }
        var reader = ByteReader(file, range: preambleSize..<file.count)
        var records: [(type: UInt8, payload: [UInt8])] = []
        do {
            while !reader.isAtEnd {
                let type = try reader.readUInt8()
                let payload = try reader.readLengthPrefixed(max: 1 << 20)
                _ = try reader.readUInt64()
                records.append((type, payload))
            }
        } catch {
            throw AttackError("the recorded replay does not parse: \(error)")
        }
        guard let header = records.first, header.type == 1 else { throw AttackError("the replay does not start with a header") }
        records[0].payload = try renaming(header: header.payload, to: names)

        let preamble = Array(file.prefix(preambleSize))
        var out = ByteWriter()
        out.writeBytes(preamble)
        var check = StateHasher.checksum(of: preamble).rawValue
        for record in records {
            var framed = ByteWriter()
            framed.writeUInt8(record.type)
            framed.writeLengthPrefixed(record.payload)
            var hasher = StateHasher()
            hasher.writeUInt64(check)
            hasher.writeBytes(framed.bytes)
            check = hasher.checksum.rawValue
            out.writeBytes(framed.bytes)
            out.writeUInt64(check)
        }
        return out.bytes
    }

    /// The header (engine version, version string, game id, game version, config, seed, tick rate,
    /// checkpoint interval, players as slot:u8 name:string(64)) with its names replaced.
    private static func renaming(header: [UInt8], to names: [String]) throws -> [UInt8] {
        var reader = ByteReader(header)
        do {
            _ = try reader.readUInt16()
            _ = try reader.readString(maxBytes: 32)
            _ = try reader.readString(maxBytes: 32)
            _ = try reader.readUInt16()
            _ = try reader.readLengthPrefixed(max: 1 << 16)
            _ = try reader.readUInt64()
            _ = try reader.readVarint()
            _ = try reader.readVarint()
            let playersStart = reader.offset
            let count = try reader.readVarint(max: 32, "player count")
            var out = ByteWriter()
            out.writeBytes(header[0..<playersStart])
            out.writeVarint(count)
            for index in 0..<count {
                out.writeUInt8(try reader.readUInt8())
                let original = try reader.readString(maxBytes: 64)
                out.writeString(index < names.count ? names[index] : original)
            }
            out.writeBytes(header[reader.offset...])
            return out.bytes
        } catch {
            throw AttackError("the replay's header does not parse: \(error)")
        }
    }
}

/// What a terminal must never be handed from a file: C0/C1 controls (newline aside), bidi
/// controls, zero-width and tag characters, and the blank fillers that pass for nothing.
enum HostileText {
    static func isHostile(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        case 0x200B...0x200D, 0x2060, 0xFEFF: true
        case 0xE0000...0xE007F: true
        case 0x3164, 0x115F, 0x1160, 0xFFA0, 0x2800: true
        default: false
        }
    }

    /// `text` with every scalar outside printable ASCII written as <U+XXXX> (what the report quotes).
    static func escaped(_ text: Substring) -> String {
        text.unicodeScalars.map { (0x20...0x7E).contains($0.value) ? String($0) : "<U+" + String(format: "%04X", $0.value) + ">" }.joined()
    }

    /// The hostile scalars in `text`, as U+XXXX, each once.
    static func found(in text: String) -> [String] {
        var seen: [String] = []
        for scalar in text.unicodeScalars where isHostile(scalar) {
            let name = "U+" + String(format: "%04X", scalar.value)
            if !seen.contains(name) { seen.append(name) }
        }
        return seen
    }
}

extension Attack {
    /// A real recorded match whose header is rewritten (chain and all) to carry hostile names, then verified.
    static let names = Attack(
        name: "names",
        summary: "`meshplay verify` on a replay whose names carry U+202E, U+200B or tag characters"
    ) { context in
        let honest = context.directory.appendingPathComponent("honest.mpr")
        let sim = try context.start("sim", ["sim", "--players", "4", "--ticks", "200", "--seed", "7", "--record", honest.path])
        defer { sim.stop() }
        guard sim.wait(seconds: 30) == 0, let recorded = FileManager.default.contents(atPath: honest.path) else {
            throw AttackError("the match was not recorded: \(sim.standardError.suffix(300))")
        }
        let hostile = [
            "\u{202E}nimda\u{202C}\u{2066}x\u{2069}\u{200E}\u{061C}",
            "ann\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}",
            "tag\u{E0041}\u{E0064}\u{E007F}\u{3164}\u{115F}\u{1160}\u{FFA0}\u{2800}",
            "\u{1B}[2J\u{1B}]0;pwned\u{07}\u{9B}31m\u{0D}\u{08}\u{7F}",
        ]
        let forged = context.directory.appendingPathComponent("forged.mpr")
        try Data(try ForgedReplay.renamingPlayers(in: Array(recorded), to: hostile)).write(to: forged)

        var findings: [String] = []
        var statuses: [String] = []
        for (label, arguments) in [("verify", ["verify", forged.path]), ("verify --json", ["verify", "--json", forged.path])] {
            let run = try context.start(label.replacingOccurrences(of: " ", with: ""), arguments)
            defer { run.stop() }
            let code = run.wait(seconds: 30)
            let output = run.standardOutput + run.standardError
            guard !output.isEmpty else { throw AttackError("`meshplay \(label)` printed nothing (exit \(code.map(String.init) ?? "killed"))") }
            statuses.append("\(label) exit \(code.map(String.init) ?? "killed")")
            let hostileFound = HostileText.found(in: output)
            if !hostileFound.isEmpty {
                let scalars = Array(output.unicodeScalars)
                let first = scalars.firstIndex(where: HostileText.isHostile) ?? 0
                let excerpt = String(String.UnicodeScalarView(scalars[max(0, first - 12)..<min(scalars.count, first + 12)]))
                findings.append("\(label): \(hostileFound.joined(separator: " ")) (e.g. `…\(HostileText.escaped(excerpt[...]))…`)")
            }
        }
        return [
            Row(attack: "`meshplay verify` and `verify --json` on a replay whose names carry U+202E, U+200B, tag characters, U+3164, ESC sequences (a recorded match, header rewritten and re-chained)",
                measured: "\(statuses.joined(separator: ", ")); "
                    + (findings.isEmpty ? "no control, bidi, zero-width, tag or filler character in either output" : "found \(findings.joined(separator: "; "))"),
                holds: findings.isEmpty),
        ]
    }
}
