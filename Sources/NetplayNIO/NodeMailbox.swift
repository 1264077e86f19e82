import Foundation
import MeshTransport
import Netplay

/// The hand-over point between a node on its event loop and whoever reads it from another
/// thread (a client's UI thread, a bot runner's task): the newest status and snapshot, and
/// the events not taken yet. Everything in it is guarded by one lock; nobody waits on it
/// longer than a copy.
///
/// Bounded: at most ``maxEvents`` events wait to be taken; past that the oldest are dropped
/// and counted (``droppedEvents``), so a reader that stops reading cannot grow it.
public final class NodeMailbox: @unchecked Sendable {
    /// The most events held for the reader.
    public static let maxEvents = 4096

    private let lock = NSLock()
    private var latestStatus: NodeStatus?
    private var latestSnapshot: NodeSnapshot?
    private var events: [NodeEvent] = []
    private var dropped = 0
    private var stopped = false
    private var linked: [UDPAddress] = []

    /// An empty mailbox.
    public init() {}

    // MARK: Loop side

    /// Publishes the addresses the node's links run at (after every tick).
    func publish(linkAddresses: [UDPAddress]) {
        locked { linked = linkAddresses }
    }

    /// The addresses the node's links ran at after its last tick: a rendezvous lookup asks the
    /// relay only for room members none of them reaches.
    public var linkAddresses: [UDPAddress] { locked { linked } }

    /// Publishes the node's newest status (and snapshot, when the reader wants the board).
    func publish(status: NodeStatus, snapshot: NodeSnapshot?) {
        locked {
            latestStatus = status
            if let snapshot { latestSnapshot = snapshot }
        }
    }

    /// Adds events the node reported.
    func post(_ new: [NodeEvent]) {
        locked {
            events += new
            if new.contains(.stopped) { stopped = true }
            if events.count > Self.maxEvents {
                let excess = events.count - Self.maxEvents
                events.removeFirst(excess)
                dropped += excess
            }
        }
    }

    // MARK: Reader side

    /// The newest status (nil before the node's first tick).
    public var status: NodeStatus? { locked { latestStatus } }

    /// The newest snapshot (nil before the first, or when snapshots are not published).
    public var snapshot: NodeSnapshot? { locked { latestSnapshot } }

    /// Events since the last call, oldest first.
    public func takeEvents() -> [NodeEvent] {
        locked {
            defer { events = [] }
            return events
        }
    }

    /// Whether the node said it stopped.
    public var isStopped: Bool { locked { stopped } }

    /// Events dropped because nobody took them in time.
    public var droppedEvents: Int { locked { dropped } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
