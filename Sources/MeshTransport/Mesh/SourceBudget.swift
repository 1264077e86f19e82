import MeshplayCore

/// A count per source per time window (sans-I/O): at most ``maxPerWindow`` takes by one source
/// in each ``window``, so one asker cannot use up a budget others share.
///
/// Bounds: at most ``maxSources`` sources remembered, the oldest forgotten first (forgetting
/// one early only gives it a fresh window), so its memory is fixed.
public struct SourceBudget<Source: Equatable & Sendable>: Sendable {
    /// Takes one source may make per window.
    public var maxPerWindow: Int
    /// The window.
    public var window: TimeSpan
    /// Sources remembered at most.
    public var maxSources: Int
    private var counts: [(source: Source, since: Timestamp, taken: Int)] = []

    /// A budget of `maxPerWindow` takes per source every `window`.
    public init(maxPerWindow: Int, window: TimeSpan = .seconds(10), maxSources: Int = 1024) {
        self.maxPerWindow = maxPerWindow
        self.window = window
        self.maxSources = maxSources
    }

    /// Whether `source` may take one more now; if so, it is counted.
    public mutating func take(_ source: Source, at now: Timestamp) -> Bool {
        if let index = counts.firstIndex(where: { $0.source == source }) {
            if now - counts[index].since >= window { counts[index] = (source, now, 0) }
            guard counts[index].taken < maxPerWindow else { return false }
            counts[index].taken += 1
            return true
        }
        if counts.count >= maxSources { counts.removeFirst() }
        counts.append((source, now, 1))
        return maxPerWindow > 0
    }
}
