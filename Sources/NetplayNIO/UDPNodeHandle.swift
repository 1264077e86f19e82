import Foundation
import MeshTransport
import MeshplayCore
import Netplay

/// A ``UDPNode`` as a client holds it: the node comes up in the background (after its mesh
/// was found, when it has to be), commands sent before that wait in order, and a poll reads
/// the mailbox without waiting. Closing says goodbye and releases the socket a moment later.
final class UDPNodeHandle: NodeHandle, @unchecked Sendable {
    /// How long a closing node is given to say goodbye before its socket closes.
    static let goodbye: Duration = .seconds(2)

    private let lock = NSLock()
    private var node: UDPNode?
    private var queued: [NodeCommand] = []
    private var failure: String?
    private var closed = false
    private var waiters: [CheckedContinuation<UDPNode?, Never>] = []

    /// Starts the node with `start` in the background.
    init(start: @escaping @Sendable () async throws -> UDPNode) {
        Task {
            do {
                let node = try await start()
                self.install(node)
            } catch {
                self.fail("\(error)")
            }
        }
    }

    var peerID: PeerID? { locked { node?.peerID } }

    /// The node once it is up (nil when it could not start or the handle was closed first).
    func waitUntilUp() async -> UDPNode? {
        await withCheckedContinuation { continuation in
            lock.lock()
            if node != nil || failure != nil || closed {
                let current = node
                lock.unlock()
                continuation.resume(returning: current)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }

    func send(_ command: NodeCommand) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        if let node { node.send(command) } else { queued.append(command) }
    }

    func poll(now: Timestamp) -> NodePoll {
        let (node, failure) = locked { (self.node, self.failure) }
        return NodePoll(snapshot: node?.mailbox.snapshot, events: node?.mailbox.takeEvents() ?? [], failure: failure)
    }

    func close() {
        let node: UDPNode? = locked {
            guard !closed else { return nil }
            closed = true
            return self.node
        }
        resumeWaiters()
        guard let node else { return }
        node.send(.leave)
        Task {
            _ = await node.waitUntilStopped(timeout: Self.goodbye)
            await node.close()
        }
    }

    func closeAndWait(timeout: Duration) {
        let node: UDPNode? = locked {
            guard !closed else { return nil }
            closed = true
            return self.node
        }
        resumeWaiters()
        guard let node else { return }
        // The leave ends the match (its recording closed) and queues the goodbye; the loop
        // writes it before the future completes. Then the socket closes.
        let done = DispatchSemaphore(value: 0)
        node.driver.withCore { core, endpoint, now, output in core.node.perform(.leave, endpoint: &endpoint, at: now, into: &output) }
            .whenComplete { _ in done.signal() }
        _ = done.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1))))
        Task {
            await node.close()
            done.signal()
        }
        _ = done.wait(timeout: .now() + .milliseconds(500))
    }

    private func install(_ started: UDPNode) {
        let closedMeanwhile: Bool = locked {
            if closed { return true }
            node = started
            for command in queued { started.send(command) }
            queued = []
            return false
        }
        resumeWaiters()
        if closedMeanwhile { Task { await started.close() } }
    }

    private func fail(_ message: String) {
        locked { failure = message }
        resumeWaiters()
    }

    private func resumeWaiters() {
        let (waiting, current) = locked {
            defer { waiters = [] }
            return (waiters, node)
        }
        for waiter in waiting { waiter.resume(returning: current) }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
