import MeshplayCore

/// Paces hole-punching datagrams (sans-I/O): a punch is sent only when its key (a target,
/// or a member and a target) had none in the last ``spacing``, and only while fewer than
/// ``maxPerWindow`` went out in the current ``window``. So a flood of punch requests, forged
/// or not, makes at most ``maxPerWindow`` small datagrams per window, whatever it names.
///
/// Bounds: at most ``maxKeys`` keys remembered (the oldest forgotten first), so its memory
/// is fixed; forgetting a key early only lets that key through again, within the window cap.
public struct PunchPacer<Key: Equatable & Sendable>: Sendable {
    /// The least time between two punches of one key.
    public var spacing: TimeSpan
    /// The window over which ``maxPerWindow`` counts.
    public var window: TimeSpan
    /// Punches allowed per window, over every key.
    public var maxPerWindow: Int
    /// Keys remembered at most.
    public var maxKeys: Int
    private var recent: [(key: Key, at: Timestamp)] = []
    private var windowStart = Timestamp.zero
    private var sentInWindow = 0

    /// A pacer of one punch per key per `spacing`, at most `maxPerWindow` per `window`.
    public init(spacing: TimeSpan = .seconds(1), window: TimeSpan = .seconds(10), maxPerWindow: Int = 16, maxKeys: Int = 256) {
        self.spacing = spacing
        self.window = window
        self.maxPerWindow = maxPerWindow
        self.maxKeys = maxKeys
    }

    /// Whether a punch for `key` may go now; if so, it is counted.
    public mutating func allow(_ key: Key, at now: Timestamp) -> Bool {
        if now - windowStart >= window {
            windowStart = now
            sentInWindow = 0
        }
        guard sentInWindow < maxPerWindow else { return false }
        if let index = recent.firstIndex(where: { $0.key == key }) {
            guard now - recent[index].at >= spacing else { return false }
            recent.remove(at: index)
        } else if recent.count >= maxKeys {
            recent.removeFirst()
        }
        recent.append((key, now))
        sentInWindow += 1
        return true
    }
}
