/// A sliding window over received packet sequences (2048 wide) that refuses
/// duplicates and replays.
///
/// A link checks ``isFresh(_:)`` before spending any work on a packet and
/// calls ``record(_:)`` only after the packet has authenticated, so forged
/// sequences cannot move the window. Sequences older than the window are refused.
public struct ReplayWindow: Sendable {
    /// How many sequences behind the newest are remembered.
    public static let width: UInt64 = 2048
    private static let words = Int(width / 64)

    /// The newest sequence recorded (0 before any).
    public private(set) var newest: UInt64 = 0
    private var bits = [UInt64](repeating: 0, count: words)

    /// An empty window.
    public init() {}

    /// Whether `sequence` is new: never seen and not older than the window. Sequence 0 is never valid.
    public func isFresh(_ sequence: UInt64) -> Bool {
        if sequence == 0 { return false }
        if sequence > newest { return true }
        if newest - sequence >= Self.width { return false }
        let slot = Int(sequence % Self.width)
        return bits[slot / 64] & (1 << UInt64(slot % 64)) == 0
    }

    /// Marks `sequence` as seen (call only when ``isFresh(_:)`` said yes and the packet authenticated).
    public mutating func record(_ sequence: UInt64) {
        if sequence > newest {
            let advance = sequence - newest
            if advance >= Self.width {
                for index in 0..<Self.words { bits[index] = 0 }
            } else {
                var clear = newest + 1
                while clear <= sequence {
                    let slot = Int(clear % Self.width)
                    if slot % 64 == 0 && sequence - clear >= 63 {
                        bits[slot / 64] = 0
                        clear += 64
                    } else {
                        bits[slot / 64] &= ~(1 << UInt64(slot % 64))
                        clear += 1
                    }
                }
            }
            newest = sequence
        }
        let slot = Int(sequence % Self.width)
        bits[slot / 64] |= 1 << UInt64(slot % 64)
    }
}
