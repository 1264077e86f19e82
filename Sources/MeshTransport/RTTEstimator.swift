import MeshplayCore

/// Smoothed round-trip time and its variance (RFC 6298), and the
/// retransmission timeout derived from them. Integer nanoseconds only.
public struct RTTEstimator: Sendable {
    /// Smoothed round trip; nil before the first sample.
    public private(set) var smoothed: TimeSpan?
    /// Round-trip variance estimate.
    public private(set) var variance: TimeSpan = .zero
    /// The most recent sample.
    public private(set) var latest: TimeSpan?

    let initialTimeout: TimeSpan
    let minimumTimeout: TimeSpan
    let maximumTimeout: TimeSpan
    let ackDelay: TimeSpan

    init(initialTimeout: TimeSpan, minimumTimeout: TimeSpan, maximumTimeout: TimeSpan, ackDelay: TimeSpan) {
        self.initialTimeout = initialTimeout
        self.minimumTimeout = minimumTimeout
        self.maximumTimeout = maximumTimeout
        self.ackDelay = ackDelay
    }

    /// Folds in one round-trip measurement.
    mutating func add(sample: TimeSpan) {
        let sample = max(sample, .zero)
        latest = sample
        guard let srtt = smoothed else {
            smoothed = sample
            variance = sample / 2
            return
        }
        let difference = srtt - sample
        let deviation = difference < .zero ? TimeSpan.zero - difference : difference
        variance = (variance * 3 + deviation) / 4
        smoothed = (srtt * 7 + sample) / 8
    }

    /// The retransmission timeout: srtt + max(1 ms, 4 × rttvar) + the peer's ack delay, clamped.
    var timeout: TimeSpan {
        guard let srtt = smoothed else { return initialTimeout }
        let value = srtt + max(.milliseconds(1), variance * 4) + ackDelay
        return min(max(value, minimumTimeout), maximumTimeout)
    }
}
