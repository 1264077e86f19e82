import MeshplayCore

/// What a player asks for in one tick, decoded from its `PlayerInput`.
///
/// Bit layout of `PlayerInput.rawValue`:
///
/// | bits | meaning |
/// | --- | --- |
/// | 0-2 (value & 7) | move: 0 nothing, 1 up, 2 right, 3 down, 4 left, 5 stay, 6 and 7 nothing |
/// | 3 (value 8) | drop a bomb |
/// | 4-15 | ignored |
///
/// A move waits for the player's step cooldown (see `BlastRules.step`): it is kept as the
/// player's queued step until the player can move. "Nothing" leaves a queued step in place;
/// "stay" cancels it (bots use it to stand still). Every value is harmless: unknown bits and
/// codes mean nothing.
public struct BlastInput: Hashable, Sendable {
    /// What the move bits ask for.
    public enum Move: Hashable, Sendable {
        /// No move pressed: a queued step stays queued.
        case none
        /// Step this way as soon as the cooldown allows.
        case step(BlastDirection)
        /// Stand still: cancels a queued step.
        case stay
    }

    /// The bit that drops a bomb.
    public static let bombBit: UInt16 = 8
    /// The move code that cancels a queued step.
    public static let stayCode: UInt16 = 5

    /// The move bits.
    public var move: Move
    /// The bomb bit.
    public var dropsBomb: Bool

    /// An input asking for `move` and, when `dropsBomb`, a bomb first.
    public init(move: Move = .none, dropsBomb: Bool = false) {
        self.move = move
        self.dropsBomb = dropsBomb
    }

    /// Decodes an input; see the type's bit layout.
    @inline(__always)
    public init(_ input: PlayerInput) {
        let code = input.rawValue & 7
        switch code {
        case 1 ... 4: move = .step(BlastDirection(rawValue: UInt8(code))!)
        case BlastInput.stayCode: move = .stay
        default: move = .none
        }
        dropsBomb = input.rawValue & BlastInput.bombBit != 0
    }

    /// The input that asks for this.
    public var playerInput: PlayerInput {
        var raw: UInt16 = dropsBomb ? BlastInput.bombBit : 0
        switch move {
        case .none: break
        case .step(let direction): raw |= UInt16(direction.rawValue)
        case .stay: raw |= BlastInput.stayCode
        }
        return PlayerInput(rawValue: raw)
    }

    /// A step in `direction`, optionally dropping a bomb first.
    public static func step(_ direction: BlastDirection, bomb: Bool = false) -> PlayerInput {
        BlastInput(move: .step(direction), dropsBomb: bomb).playerInput
    }

    /// A bomb drop without a move.
    public static let bomb = BlastInput(dropsBomb: true).playerInput
    /// Stand still (cancel any queued step).
    public static let stay = BlastInput(move: .stay).playerInput
}
