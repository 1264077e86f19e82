import Crypto
import MeshplayCore

/// The hash of every input of a match so far, advanced once per attestation period.
///
/// `h₀` is 32 zero bytes; at each attestation tick `h ← SHA-256(h ‖ changes)`, where
/// `changes` lists, for every tick of the period whose inputs differ from the tick before
/// (tick 0 is compared with all-`none`): the tick (varint), the mask of changed slots (varint)
/// and each changed slot's new input (varint), in slot order. That is a canonical form of the
/// input sequence (the replay's own input entries carry exactly these values), and it costs
/// nothing on ticks where no input changes, so a verifier hashes a few bytes per change
/// instead of a digest per tick.
public struct InputChain: Sendable {
    /// The hash after the last completed period.
    public private(set) var hash: [UInt8] = Array(repeating: 0, count: 32)
    private var changes = ByteWriter(capacity: 256)
    private var previous: [PlayerInput]

    /// A chain for `playerCount` players, before tick 0.
    public init(playerCount: Int) {
        previous = Array(repeating: .none, count: playerCount)
    }

    /// Adds the inputs applied at `tick` (ticks in order, each once).
    public mutating func record(tick: Tick, inputs: [PlayerInput]) {
        var mask: UInt64 = 0
        for slot in 0..<min(inputs.count, previous.count) where inputs[slot] != previous[slot] { mask |= 1 << UInt64(slot) }
        guard mask != 0 else { return }
        changes.writeVarint(UInt64(tick.rawValue))
        changes.writeVarint(mask)
        for slot in 0..<previous.count where mask & (1 << UInt64(slot)) != 0 {
            changes.writeVarint(UInt64(inputs[slot].rawValue))
            previous[slot] = inputs[slot]
        }
    }

    /// Adds a change already in canonical form (a replay reader's decoded input entry):
    /// at `tick`, the slots of `mask` took `values`, in slot order.
    @inline(__always)
    public mutating func recordChange(tick: UInt32, mask: UInt64) {
        changes.writeVarint(UInt64(tick))
        changes.writeVarint(mask)
    }

    /// The value of one changed slot, after ``recordChange(tick:mask:)``.
    @inline(__always)
    public mutating func recordChangedValue(_ input: PlayerInput) {
        changes.writeVarint(UInt64(input.rawValue))
    }

    /// Ends the period: folds its changes into ``hash`` and returns it.
    public mutating func seal() -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: hash)
        hasher.update(data: changes.bytes)
        hash = Array(hasher.finalize())
        changes.removeAll()
        return hash
    }
}
