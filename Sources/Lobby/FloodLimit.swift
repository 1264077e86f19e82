import MeshplayCore

/// A chat flood limit: a token bucket in virtual time (as the generic cell rate
/// algorithm: one theoretical arrival time, integers only).
public struct FloodLimit: Sendable, Equatable {
    /// Lines allowed at once after a quiet spell.
    public var burst: Int
    /// One more line is allowed every `interval`.
    public var interval: TimeSpan

    /// A limit of `burst` lines at once and one line per `interval` after that.
    public init(burst: Int = 5, interval: TimeSpan = .milliseconds(1000)) {
        self.burst = max(1, burst)
        self.interval = max(interval, .zero)
    }

    /// What receivers enforce on each sender: twice the rate and four times the burst
    /// plus 32 lines, so an honest sender's own stricter check always decides first even
    /// when a lossy link holds lines back and then releases them together; a client that
    /// ignores its limit is still cut to twice the rate.
    var forReceivers: FloodLimit {
        FloodLimit(burst: burst * 4 + 32, interval: interval / 2)
    }
}

/// One sender's bucket under a ``FloodLimit``.
struct FloodBucket: Sendable, Equatable {
    /// When the bucket is next empty of debt (the theoretical arrival time).
    var nextFree: Timestamp = .zero

    /// Takes one token at `now` if the limit allows; reports whether it did.
    mutating func take(at now: Timestamp, limit: FloodLimit) -> Bool {
        let allowance = limit.interval * Int64(limit.burst - 1)
        guard nextFree <= now + allowance else { return false }
        nextFree = max(nextFree, now) + limit.interval
        return true
    }
}
