import Foundation
import MeshTransport
import MeshplayCore

/// The rendezvous names (MeshProtocol.md, "Rendezvous"): the shared lobby name, and the name a
/// room's host also registers under (room names here are short, so no cut applies).
enum RendezvousNames {
    static let lobby = "meshplay-lobby"
    static func room(_ room: String) -> String { "meshplay-lobby/room/\(room)" }
}

/// A `meshplay resolver` on a free loopback port.
struct Resolver {
    let target: Target
    let address: UDPAddress
    /// What `--resolver` takes.
    var argument: String { "127.0.0.1:\(address.port)" }

    /// Starts one and waits until it answers a resolve.
    init(_ context: Context, name: String = "resolver") throws {
        let port = try freePort()
        target = try context.start(name, ["resolver", "--port", "\(port)", "--host", "127.0.0.1"])
        address = UDPAddress(ipAddress: "127.0.0.1", port: port)!
        let probe = try RawSocket()
        var answered = false
        for _ in 0..<50 where !answered && target.isRunning { answered = resolve(RendezvousNames.lobby, from: probe, milliseconds: 100) != nil }
        guard answered else {
            target.stop()
            throw AttackError("the resolver did not answer: \(target.standardError.suffix(300))")
        }
    }

    /// The addresses registered under `name`, asked from `socket` (which must carry nothing else), or nil without an answer.
    func resolve(_ name: String, from socket: RawSocket, milliseconds: Int = 1000) -> [UDPAddress]? {
        let id = UInt64.random(in: 1...UInt64.max)
        socket.send(RendezvousMessage.resolve(requestID: id, meshName: name).encoded, to: address)
        let end = Clock.now() + .milliseconds(Int64(milliseconds))
        while Clock.now() < end {
            for (bytes, _) in socket.receive() {
                if case .answer(id, let addresses) = RendezvousMessage(decoding: bytes) { return addresses }
            }
            Clock.sleep(milliseconds: 2)
        }
        return nil
    }
}

/// An honest-looking registration client on many source addresses: it completes every cookie
/// round trip (it does receive at its addresses), so what it registers is stored.
final class RegistrationFlood {
    let resolver: UDPAddress
    let sources: [RawSocket]
    /// Registers sent, and what the resolver said to them.
    private(set) var sent = 0
    private(set) var stored = 0
    private(set) var refused = 0
    private var cookies: [Int: [UInt8]] = [:]
    private var pending: [UInt64: (source: Int, name: String, port: UInt16, cookie: [UInt8]?)] = [:]
    private var nonce: UInt64 = 0

    /// Sources 127.0.0.`first`…127.0.0.`last`.
    init(resolver: UDPAddress, first: Int = 2, last: Int = 60) throws {
        self.resolver = resolver
        sources = try (first...last).map { try RawSocket(ip: "127.0.0.\($0)") }
    }

    var bytesSent: Int { sources.reduce(0) { $0 + $1.bytesSent } }

    /// Registers `port` on source `source`'s address under `name` (with the source's cookie once it has one).
    func register(_ name: String, port: UInt16, from source: Int) {
        nonce += 1
        let cookie = cookies[source]
        if pending.count > 20_000 { pending.removeAll() }
        pending[nonce] = (source, name, port, cookie)
        sources[source].send(RendezvousMessage.register(nonce: nonce, cookie: cookie, meshName: name, port: port).encoded, to: resolver)
        sent += 1
    }

    /// Reads the replies: a cookie is kept and the register sent again with it.
    func pump() {
        for (index, socket) in sources.enumerated() {
            for (bytes, _) in socket.receive() {
                switch RendezvousMessage(decoding: bytes) {
                case .cookie(let nonce, let cookie):
                    cookies[index] = cookie
                    if let register = pending.removeValue(forKey: nonce), register.cookie != cookie {
                        self.register(register.name, port: register.port, from: register.source)
                    }
                case .registered(let nonce, let outcome):
                    pending.removeValue(forKey: nonce)
                    if outcome == .stored { stored += 1 } else { refused += 1 }
                default:
                    break
                }
            }
        }
    }
}

extension Attack {
    /// A spoofer registers a victim's address (and never sees the replies), then a joiner resolves.
    static let spoof = Attack(
        name: "spoof",
        summary: "32 registrations at the resolver with a spoofed source address, then one joiner resolves"
    ) { context in
        let resolver = try Resolver(context)
        defer { resolver.target.stop() }
        let room = "spoofed"
        let names = [RendezvousNames.lobby, RendezvousNames.room(room)]
        // The adversary sends from the victim's address: it never reads what comes back, so no cookie is echoed.
        let victim = try RawSocket(ip: "127.0.0.77")
        let observer = try RawSocket()
        for index in 0..<32 {
            let register = RendezvousMessage.register(nonce: 0x5_0000 + UInt64(index), cookie: nil, meshName: names[index % 2], port: victim.address.port)
            victim.send(register.encoded, to: resolver.address)
        }
        var fromResolver = 0
        var fromOthers: [UDPAddress: Int] = [:]
        func listen(milliseconds: Int, while condition: () -> Bool = { true }) {
            let end = Clock.now() + .milliseconds(Int64(milliseconds))
            while Clock.now() < end, condition() {
                for (bytes, from) in victim.receive() {
                    if from == resolver.address { fromResolver += bytes.count } else { fromOthers[from, default: 0] += bytes.count }
                }
                Clock.sleep(milliseconds: 1)
            }
        }
        listen(milliseconds: 200)
        let joiner = try context.start("joiner", [
            "bot", "--name", "joiner", "--room", room, "--resolver", resolver.argument, "--join-timeout", "10", "--port", "\(try freePort())",
        ])
        defer { joiner.stop() }
        let started = Clock.now()
        listen(milliseconds: 20_000) { joiner.isRunning }
        let joinerCode = joiner.wait(seconds: 1)
        let elapsed = Double((Clock.now() - started).nanoseconds) / 1e9
        // Whatever the joiner was made to dial may still be on its way.
        listen(milliseconds: 1000)
        // Within the registrations' 30 s: would the resolver hand the victim to anyone?
        let answers = names.map { resolver.resolve($0, from: observer) }
        guard answers.allSatisfy({ $0 != nil }) else { throw AttackError("the resolver did not answer the observer's resolves") }
        let handed = answers.contains { $0!.contains(victim.address) }

        let received = victim.bytesReceived
        let sent = victim.bytesSent
        let ratio = Double(received) / Double(max(sent, 1))
        let others = fromOthers.values.reduce(0, +)
        return [
            Row(attack: "32 registrations at the resolver with a spoofed source address (127.0.0.77, 16 under the lobby name, 16 under a room name, cookies never echoed), then one joiner resolves",
                measured: "the victim received \(received) bytes in \(victim.datagramsReceived) datagrams for \(sent) sent in its name "
                    + "(\(String(format: "%.3f", ratio))×): \(fromResolver) bytes of cookies from the resolver, \(others) bytes from \(fromOthers.count) other senders (the joiner); "
                    + "victim in the resolver's answers: \(handed ? "yes" : "no"); joiner exit \(joinerCode.map(String.init) ?? "killed") after \(String(format: "%.1f", elapsed)) s",
                holds: ratio <= 1.0),
        ]
    }

    /// A real room behind a resolver that a proper client floods; a joiner by name must still get in.
    static let flood = Attack(
        name: "flood",
        summary: "a name flood, and 32 registrations every 0.5 s under the shared names, at the resolver while a joiner looks for a room"
    ) { context in
        let room = "floodroom"
        let quiet = try joinUnderFlood(context, label: "quiet") { _, _ in }
        guard quiet.joined else { throw AttackError("the joiner did not get in even without a flood: \(quiet.row("").measured)") }
        let nameFlood = try joinUnderFlood(context, label: "names") { flood, round in
            // Every source at its quota of 8, with 8 names it never used before, every round.
            for source in flood.sources.indices {
                for slot in 0..<8 { flood.register("flood-\(source)-\(round)-\(slot)", port: 40_000, from: source) }
            }
        }
        let sharedFloods = try [[RendezvousNames.lobby], [RendezvousNames.lobby, RendezvousNames.room(room)]].map { names in
            try joinUnderFlood(context, label: names.count == 1 ? "lobby" : "both") { flood, round in
                // 32 new addresses (fresh ports) per name every round, from the sources in turn.
                for index in 0..<32 {
                    let number = round * 32 + index
                    for name in names { flood.register(name, port: UInt16(20_000 + number % 40_000), from: number % flood.sources.count) }
                }
            }
        }
        return [
            nameFlood.row(baseline: quiet, "a name flood at the resolver: 59 source IPs each at its quota of 8 with 8 fresh names every 0.5 s (cookies completed)"),
            sharedFloods[0].row(baseline: quiet, "32 registrations every 0.5 s under the shared lobby name (59 source IPs in turn, fresh ports, cookies completed)"),
            sharedFloods[1].row(baseline: quiet, "32 registrations every 0.5 s under the lobby name and 32 under the room's own name (59 source IPs in turn, fresh ports, cookies completed)"),
        ]
    }

    /// What one flood run measured.
    struct FloodRun {
        let joined: Bool
        let seconds: Double
        let joinerCode: Int32?
        let sent: Int
        let stored: Int
        let refused: Int
        let bytes: Int
        let hostListed: Bool
        /// Resolves of the room name made once a second while the joiner looked, and how many listed the host.
        let looks: Int
        let listedLooks: Int
        let unanswered: Int

        func row(baseline: FloodRun? = nil, _ attack: String) -> Row {
            let quiet = baseline.map { " (\(String(format: "%.1f", $0.seconds)) s without a flood)" } ?? ""
            let outcome = joined
                ? "the joiner got into the room and the match started \(String(format: "%.1f", seconds)) s after it began looking\(quiet)"
                : "the joiner did not get in (exit \(joinerCode.map(String.init) ?? "killed") after \(String(format: "%.1f", seconds)) s)"
            return Row(attack: attack,
                       measured: "\(outcome); the flood sent \(sent) registers (\(bytes) bytes; \(stored) stored, \(refused) refused); "
                           + "host in the room name's answer in \(listedLooks) of \(looks) answers to a resolve a second while the joiner looked (\(unanswered) more unanswered in 200 ms), and at the end: \(hostListed ? "yes" : "no")",
                       holds: joined)
        }
    }

    /// Starts a resolver and a host whose room registers there, floods with `round` every 0.5 s
    /// (from 2 s before the joiner starts until it is in or gives up), and times the joiner.
    static func joinUnderFlood(_ context: Context, label: String, round: (RegistrationFlood, Int) -> Void) throws -> FloodRun {
        let room = "floodroom"
        let resolver = try Resolver(context, name: "resolver-\(label)")
        defer { resolver.target.stop() }
        let hostPort = try freePort()
        let host = try context.start("host-\(label)", [
            "bot", "--name", "host", "--create", room, "--players", "2", "--ticks", "60", "--port", "\(hostPort)",
            "--resolver", resolver.argument, "--seed", "1",
        ])
        defer { host.stop() }
        let hostAddress = UDPAddress(ipAddress: "127.0.0.1", port: hostPort)!
        let observer = try RawSocket()
        // A resolve answers at once, listed or not: the wait is bounded by time, not by a count of answers.
        var registered = false
        let registrationDeadline = Clock.now() + .seconds(15)
        while !registered, host.isRunning, Clock.now() < registrationDeadline {
            registered = resolver.resolve(RendezvousNames.room(room), from: observer, milliseconds: 250)?.contains(hostAddress) ?? false
            if !registered { Clock.sleep(milliseconds: 100) }
        }
        guard registered else {
            let said = host.standardError.suffix(300)
            throw AttackError("the host's room never appeared at the resolver in 15 s (host \(host.isRunning ? "running" : "exited"); it said: \(said.isEmpty ? "nothing" : String(said)))")
        }

        let flood = try RegistrationFlood(resolver: resolver.address)
        var rounds = 0
        var nextRound = Clock.now()
        func floodFor(milliseconds: Int, until done: () -> Bool) -> Bool {
            let end = Clock.now() + .milliseconds(Int64(milliseconds))
            var nextCheck = Clock.now()
            while Clock.now() < end {
                if Clock.now() >= nextRound {
                    round(flood, rounds)
                    rounds += 1
                    nextRound = nextRound + .milliseconds(500)
                }
                flood.pump()
                if Clock.now() >= nextCheck {
                    if done() { return true }
                    nextCheck = Clock.now() + .milliseconds(100)
                }
                Clock.sleep(milliseconds: 1)
            }
            return done()
        }
        _ = floodFor(milliseconds: 2000) { false }
        let joiner = try context.start("joiner-\(label)", [
            "bot", "--name", "joiner", "--room", room, "--resolver", resolver.argument, "--join-timeout", "20", "--port", "\(try freePort())",
        ])
        defer { joiner.stop() }
        let started = Clock.now()
        // Once a second, as a joiner would see it: is the host among the room name's addresses?
        var looks = 0
        var listedLooks = 0
        var unanswered = 0
        var nextLook = started
        let joined = floodFor(milliseconds: 25_000) {
            if Clock.now() >= nextLook {
                if let answer = resolver.resolve(RendezvousNames.room(room), from: observer, milliseconds: 200) {
                    looks += 1
                    if answer.contains(hostAddress) { listedLooks += 1 }
                } else {
                    unanswered += 1
                }
                nextLook = nextLook + .seconds(1)
            }
            return host.standardError.contains("game 1 started") || !joiner.isRunning
        } && host.standardError.contains("game 1 started")
        let seconds = Double((Clock.now() - started).nanoseconds) / 1e9
        let listed = resolver.resolve(RendezvousNames.room(room), from: observer)?.contains(hostAddress) ?? false
        let code = joined ? nil : joiner.wait(seconds: 1)
        return FloodRun(joined: joined, seconds: seconds, joinerCode: code, sent: flood.sent, stored: flood.stored, refused: flood.refused,
                        bytes: flood.bytesSent, hostListed: listed, looks: looks, listedLooks: listedLooks, unanswered: unanswered)
    }
}
