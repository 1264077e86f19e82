import Attestation
import MeshplayCore

/// The verifier's side of a signed replay: it stops the re-simulation at every attestation
/// tick to take the state checksum and seal the input chain there, then checks each recorded
/// signature against the statement those make.
struct AttestationCheck {
    let plan: AttestationPlan
    let engineVersion: UInt16
    let game: GameIdentity
    /// Per attestation tick `(i + 1) · interval`, the checksum and input hash there.
    private var digests: [(checksum: StateChecksum, inputHash: [UInt8])] = []

    init(plan: AttestationPlan, header: ReplayHeader) {
        self.plan = plan
        engineVersion = header.engineVersion
        game = header.game
    }

    /// Steps `game` `count` times with `inputs`, taking a digest at each attestation tick reached.
    /// `chain` holds the input changes of every tick before the game's (the reader's chain).
    mutating func step(_ running: any RunningGame, count: Int, inputs: [PlayerInput], chain: inout InputChain?) {
        var left = count
        while left > 0 {
            let toBoundary = plan.interval - Int(running.tick.rawValue) % plan.interval
            let steps = min(left, toBoundary)
            for _ in 0..<steps { running.step(inputs: inputs) }
            left -= steps
            if steps == toBoundary, chain != nil {
                digests.append((running.checksum(), chain!.seal()))
            }
        }
    }

    /// Whether `attestation` is its slot's key signing the statement of the re-simulation at its tick.
    func holds(_ attestation: ReplayAttestation) -> Bool {
        let index = Int(attestation.tick.rawValue) / plan.interval - 1
        guard digests.indices.contains(index) else { return false }
        let statement = AttestationStatement(
            engineVersion: engineVersion, game: game, tick: attestation.tick.rawValue,
            checksum: digests[index].checksum, inputHash: digests[index].inputHash)
        return statement.isSigned(by: plan.publicKeys[attestation.slot.index], signature: attestation.signature)
    }
}
