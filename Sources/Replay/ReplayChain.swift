import MeshplayCore

/// The running check value that links every record to all bytes before it.
///
/// Each record ends with `check = H(previousCheck ‖ type ‖ length ‖ payload)`, where
/// `H` is the engine's `StateHasher` (64-bit FNV-1a with a SplitMix64 finaliser) and
/// the chain starts from `H(preamble)`. A changed, removed, inserted or reordered
/// record therefore breaks the check of that record. FNV-1a maps equal-length inputs
/// that differ in one byte to different states, so any single changed byte inside a
/// record's framing, payload or check is always caught, not just probably.
///
/// This is integrity, not authenticity: there is no key, so anyone can recompute it.
public struct ReplayChain: Sendable, Equatable {
    /// The check value of the last record (or of the preamble before any record).
    public private(set) var value: UInt64

    /// A chain positioned just after the preamble of a file of format `version`.
    public init(version: UInt16 = ReplayFormat.version) {
        value = StateHasher.checksum(of: ReplayFormat.preamble(version: version)).rawValue
    }

    /// The check value a record with these bytes (type, length and payload, without the
    /// check itself) would carry after the current one; does not advance the chain.
    public func check(ofRecord bytes: [UInt8], range: Range<Int>) -> UInt64 {
        var hasher = StateHasher()
        hasher.writeUInt64(value)
        // writeByte is inlinable; the generic writeBytes would go through a witness per byte.
        bytes.withUnsafeBufferPointer { buffer in
            for index in range { hasher.writeByte(buffer[index]) }
        }
        return hasher.checksum.rawValue
    }

    /// Moves the chain past a record whose check value is `check`.
    public mutating func advance(to check: UInt64) {
        value = check
    }
}
