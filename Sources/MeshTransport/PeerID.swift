import Crypto
import Foundation

/// A node's identity on the mesh: the first 128 bits of SHA-256 over
/// `"meshplay-peer-id-v1"` followed by the node's Curve25519 signing public key.
///
/// Peer ids are stable for as long as a node keeps its signing key, totally
/// ordered (for deterministic tie-breaks), and compact enough to put in every
/// lockstep or lobby message.
public struct PeerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The high 64 bits (the first eight digest bytes, big-endian).
    public var high: UInt64
    /// The low 64 bits (digest bytes 8 to 15, big-endian).
    public var low: UInt64

    /// A peer id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The peer id that belongs to a signing public key.
    public init(publicKey: Curve25519.Signing.PublicKey) {
        var hasher = SHA256()
        hasher.update(data: Array("meshplay-peer-id-v1".utf8))
        hasher.update(data: publicKey.rawRepresentation)
        let digest = Array(hasher.finalize())
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(digest[index])
            low = low << 8 | UInt64(digest[8 + index])
        }
        self.init(high: high, low: low)
    }

    public static func < (lhs: PeerID, rhs: PeerID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// 32 lowercase hex digits.
    public var description: String {
        hex(high) + hex(low)
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension Array where Element == PeerID {
    /// Whether this array, sorted ascending, holds `peer` (a binary search).
    func sortedContains(_ peer: PeerID) -> Bool {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < peer { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == peer
    }
}
