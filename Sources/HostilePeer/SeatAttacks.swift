import Foundation
import MeshTransport

extension Attack {
    /// Row 6: strangers saying the room hello over and over (it used to fill a pending-join table).
    static let hellos = Attack(
        name: "hellos",
        summary: "16 links re-sending a room hello every 3 s while a real joiner tries to get in"
    ) { context in
        let host = try RoomHost(context, room: "hall", players: 4)
        defer { host.target.stop() }
        let strangers = try (0..<16).map { try Stranger(ip: "127.0.0.\(100 + $0 / 4)", seed: 0x4E110 + UInt64($0)) }
        for stranger in strangers { stranger.connect(to: host.address) }
        guard pump(strangers, milliseconds: 5000, until: { strangers.allSatisfy { !$0.linkedPeers.isEmpty } }) else {
            throw AttackError("the strangers could not link")
        }
        // RoomProtocol.md: version 1, kind 3 (hello), on the room channel 0x4C.
        let hello: [UInt8] = [1, 3]
        let flood = FloodThread {
            for stranger in strangers { for peer in stranger.linkedPeers { stranger.sendReliable(hello, channel: 0x4C, to: peer) } }
            pump(strangers, milliseconds: 3000)
        }
        flood.start()
        defer { flood.stop() }
        let result = try host.admitsJoiner(context, room: "hall", name: "real", within: 30)
        return [Row(attack: "16 links re-sending a room hello every 3 s", measured: admission(result, limit: 30), holds: result.joined)]
    }

    /// Row 7: two seats taken by players who then go silent (stopped, no goodbye).
    static let silentSeats = Attack(
        name: "seats",
        summary: "2 strangers take seats in a 3-seat room, then go silent"
    ) { context in
        let host = try RoomHost(context, room: "trio", players: 3)
        defer { host.target.stop() }
        var squatters: [Target] = []
        defer { for squatter in squatters { squatter.resume(); squatter.stop() } }
        for index in 0..<2 {
            let squatter = try context.start("squatter\(index)", [
                "bot", "--name", "squat\(index)", "--room", "trio", "--peer", "127.0.0.1:\(host.port)", "--join-timeout", "20",
            ])
            squatters.append(squatter)
            guard squatter.waitForError(containing: "in room", seconds: 20) else { throw AttackError("a squatter could not take a seat") }
            // Silent at once, before the room can fill and start: no goodbye, no close, the socket stays open.
            squatter.pause()
        }
        let result = try host.admitsJoiner(context, room: "trio", name: "real", within: 30)
        return [Row(attack: "2 strangers take seats in a 3-seat room, then go silent",
                    measured: admission(result, limit: 30) + ", with both squatters stopped (silent, no goodbye) the whole time", holds: result.joined)]
    }
}

/// Runs `body` over and over on a thread of its own until stopped (a flood beside the attack's main line).
final class FloodThread: @unchecked Sendable {
    private let body: () -> Void
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () -> Void) { self.body = body }

    func start() {
        let thread = Thread { [self] in
            while !isStopping { body() }
            done.signal()
        }
        self.thread = thread
        thread.start()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    func stop() {
        guard thread != nil else { return }
        lock.withLock { stopping = true }
        done.wait()
        thread = nil
    }
}
