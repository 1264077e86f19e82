import MeshplayCore
import Testing
@testable import MeshTransport

/// Drives a registrar and a lookup against a rendezvous service over virtual time (no sockets).
struct RendezvousBench {
    var service = RendezvousService(secret: [UInt8](repeating: 7, count: 32))
    var now = Timestamp.milliseconds(1_000_000)

    init(registry: RendezvousRegistry = RendezvousRegistry()) {
        service = RendezvousService(registry: registry, secret: [UInt8](repeating: 7, count: 32))
    }

    /// One exchange: `datagrams` from `source`, the replies handed to `answer`, whose own replies go back too.
    mutating func exchange(_ datagrams: [[UInt8]], from source: UDPAddress, answer: (inout RendezvousBench, [UInt8]) -> [[UInt8]]) {
        var queue = datagrams
        while !queue.isEmpty {
            let datagram = queue.removeFirst()
            guard let reply = service.receive(datagram, from: source, at: now) else { continue }
            #expect(reply.count <= datagram.count, "a reply is never larger than its request")
            queue += answer(&self, reply)
        }
    }

    mutating func run(_ registrar: inout RendezvousRegistrar, from source: UDPAddress) {
        let sent = registrar.tick(at: now)
        var copy = registrar
        exchange(sent, from: source) { bench, reply in copy.receive(reply, at: bench.now) }
        registrar = copy
    }

    mutating func run(_ lookup: inout RendezvousLookup, from source: UDPAddress) -> [UDPAddress] {
        var added: [UDPAddress] = []
        let sent = lookup.tick(at: now)
        var copy = lookup
        exchange(sent, from: source) { _, reply in
            added += copy.receive(reply)
            return []
        }
        lookup = copy
        return added
    }

    func resolve(_ name: String) -> [UDPAddress] {
        var registry = service.registry
        return registry.resolve(meshName: name, at: now)
    }

    func held(fromSourceOf address: UDPAddress) -> Int {
        var registry = service.registry
        return registry.count(fromSourceOf: address, at: now)
    }

    mutating func receive(_ bytes: [UInt8], from source: UDPAddress, after span: TimeSpan = .zero) -> [UInt8]? {
        service.receive(bytes, from: source, at: now + span)
    }
}

@Suite struct RendezvousServiceTests {
    static let host = UDPAddress(ipAddress: "10.0.0.7", port: 5555)!
    static let victim = UDPAddress(ipAddress: "192.0.2.44", port: 47000)!
    static let flooder = UDPAddress(ipAddress: "198.51.100.9", port: 40000)!

    @Test func aRegistrationIsStoredOnlyAfterTheCookieRoundTrip() throws {
        var bench = RendezvousBench()
        var registrar = RendezvousRegistrar(names: ["m"], port: 4000, nonce: 77)
        bench.run(&registrar, from: Self.host)
        #expect(registrar.isRegistered)
        #expect(bench.resolve("m") == [Self.host.withPort(4000)])
        let request = RendezvousMessage.resolve(requestID: 9, meshName: "m").encoded
        let replyBytes = bench.receive(request, from: Self.victim)
        let reply = try #require(replyBytes)
        #expect(reply.count <= request.count)
        #expect(RendezvousMessage(decoding: reply) == .answer(requestID: 9, addresses: [Self.host.withPort(4000)]))
        let junk = bench.receive([1, 2, 3], from: Self.host)
        #expect(junk == nil)
        let unpadded = bench.receive(Array(request.prefix(40)), from: Self.host)
        #expect(unpadded == nil,
                "an unpadded resolve gets nothing: its answer could be larger")
    }

    /// The measured attack: registrations with a spoofed source, then a joiner resolves. The
    /// victim must never be handed out (no hellos reflected at it), and gets only cookies no
    /// larger than what was sent in its name.
    @Test func aSpoofedSourceRegisterStoresNothingAndIsNeverHandedToAResolver() throws {
        var bench = RendezvousBench()
        for port in 1...32 {
            let register = RendezvousMessage.register(nonce: UInt64(port), cookie: nil, meshName: "meshplay-lobby", port: UInt16(port)).encoded
            let replyBytes = bench.receive(register, from: Self.victim.withPort(UInt16(port)))
            let reply = try #require(replyBytes)
            #expect(reply.count <= register.count)
            guard case .cookie = RendezvousMessage(decoding: reply) else { Issue.record("expected a cookie"); continue }
            // A guessed cookie, or one issued to another source, is no proof either.
            let issuedToFlooderBytes = bench.receive(register, from: Self.flooder)
            let issuedToFlooder = try #require(issuedToFlooderBytes)
            guard case .cookie(_, let stolen) = RendezvousMessage(decoding: issuedToFlooder) else { Issue.record("no cookie"); continue }
            for cookie in [stolen, [UInt8](repeating: 0xAB, count: 16)] {
                let forged = RendezvousMessage.register(nonce: 1, cookie: cookie, meshName: "meshplay-lobby", port: UInt16(port)).encoded
                let answer = bench.receive(forged, from: Self.victim.withPort(UInt16(port)))
                guard case .cookie = answer.flatMap(RendezvousMessage.init(decoding:)) else { Issue.record("a forged cookie was taken"); continue }
            }
        }
        #expect(bench.resolve("meshplay-lobby").isEmpty)
        #expect(bench.service.registry.meshCount == 0, "no state for unproven sources")
        let request = RendezvousMessage.resolve(requestID: 3, meshName: "meshplay-lobby").encoded
        let replyBytes = bench.receive(request, from: Self.host)
        let reply = try #require(replyBytes)
        #expect(RendezvousMessage(decoding: reply) == .answer(requestID: 3, addresses: []))
    }

    /// Sizes: register 33 + name bytes, cookie 30, registered 15; so every reply to an
    /// unproven source is smaller than what it sent, for every name length and family.
    @Test(arguments: [0, 1, 14, 33, 64])
    func cookieAndRegisteredRepliesAreNeverLargerThanTheRegister(nameBytes: Int) throws {
        var bench = RendezvousBench()
        let name = String(repeating: "n", count: nameBytes)
        for source in [Self.host, UDPAddress(ipAddress: "2001:db8::1", port: 9)!] {
            let register = RendezvousMessage.register(nonce: 5, cookie: nil, meshName: name, port: 4000).encoded
            #expect(register.count == 33 + nameBytes + (nameBytes > 127 ? 1 : 0))
            let cookieReplyBytes = bench.receive(register, from: source)
            let cookieReply = try #require(cookieReplyBytes)
            #expect(cookieReply.count == 30)
            #expect(cookieReply.count <= register.count)
            guard case .cookie(5, let cookie) = RendezvousMessage(decoding: cookieReply) else { Issue.record("no cookie"); return }
            let proven = RendezvousMessage.register(nonce: 5, cookie: cookie, meshName: name, port: 4000).encoded
            let storedBytes = bench.receive(proven, from: source)
            let stored = try #require(storedBytes)
            #expect(stored.count == 15)
            #expect(RendezvousMessage(decoding: stored) == .registered(nonce: 5, outcome: .stored))
        }
    }

    /// Cookies rotate with the 20 s window: one is taken in its window and the next, then the
    /// node asks again, and a registrar that keeps renewing stays listed throughout.
    @Test func cookiesRotateAndARenewingRegistrarStaysListed() throws {
        var bench = RendezvousBench()
        let register = RendezvousMessage.register(nonce: 1, cookie: nil, meshName: "m", port: 4000).encoded
        guard case .cookie(_, let cookie)? = bench.receive(register, from: Self.host).flatMap(RendezvousMessage.init(decoding:))
        else { Issue.record("no cookie"); return }
        let proven = RendezvousMessage.register(nonce: 1, cookie: cookie, meshName: "m", port: 4000).encoded
        func outcome(after span: TimeSpan) -> RendezvousMessage? {
            bench.receive(proven, from: Self.host, after: span).flatMap(RendezvousMessage.init(decoding:))
        }
        #expect(outcome(after: .seconds(21)) == .registered(nonce: 1, outcome: .stored), "the previous window's cookie is still taken")
        guard case .cookie? = outcome(after: .seconds(41)) else { Issue.record("a cookie two windows old was taken"); return }

        var registrar = RendezvousRegistrar(names: ["m"], port: 4000, nonce: 100)
        for _ in 0..<240 {
            bench.run(&registrar, from: Self.host)
            #expect(bench.resolve("m") == [Self.host.withPort(4000)])
            bench.now = bench.now + .milliseconds(500)
        }
    }

    /// 32 registrations from one IP every 0.5 s under the lobby name (the measured flood)
    /// hold at most 8 entries and never evict another host's registration.
    @Test func aFloodFromOneIPUnderANameDoesNotEvictAnotherIPsRegistration() {
        var bench = RendezvousBench()
        var host = RendezvousRegistrar(names: ["meshplay-lobby"], port: 4000, nonce: 1)
        var flood = (0..<32).map { RendezvousRegistrar(names: ["meshplay-lobby"], port: UInt16(41000 + $0), nonce: UInt64(1000 + $0)) }
        for step in 0..<40 {
            if step % 20 == 0 { bench.run(&host, from: Self.host) }
            for index in flood.indices {
                flood[index].renewInterval = .milliseconds(500)
                bench.run(&flood[index], from: Self.flooder.withPort(UInt16(50000 + index)))
            }
            let listed = bench.resolve("meshplay-lobby")
            #expect(listed.contains(Self.host.withPort(4000)), "step \(step)")
            #expect(listed.first == Self.host.withPort(4000) || listed.dropFirst().first == Self.host.withPort(4000),
                    "one address per source before a second from any")
            #expect(bench.held(fromSourceOf: Self.flooder) <= 8)
            bench.now = bench.now + .milliseconds(500)
        }
    }

    /// When a name is full, the newcomer's place comes from the source holding the most
    /// entries there, not from the oldest registration (which may be the only one of its host).
    @Test func aFullNameEvictsFromTheSourceHoldingTheMost() throws {
        var registry = RendezvousRegistry(maxAddressesPerMesh: 32, maxPerSource: 1000)
        let t0 = Timestamp.milliseconds(5000)
        registry.register(meshName: "m", address: Self.host, at: t0)
        for port in 1...100 { registry.register(meshName: "m", address: Self.flooder.withPort(UInt16(port)), at: t0 + .milliseconds(Int64(port))) }
        let listed = registry.resolve(meshName: "m", at: t0 + .seconds(1))
        #expect(listed.count == 32)
        #expect(listed.first == Self.flooder.withPort(100))
        #expect(listed.dropFirst().first == Self.host)
        let other = try #require(UDPAddress(ipAddress: "203.0.113.5", port: 1))
        registry.register(meshName: "m", address: other, at: t0 + .seconds(1))
        #expect(registry.resolve(meshName: "m", at: t0 + .seconds(1)).prefix(3).contains(other))
        #expect(registry.resolve(meshName: "m", at: t0 + .seconds(1)).contains(Self.host))
    }

    /// A flood from many sources, one entry each (the attack on a room's own, public name):
    /// it churns through its own newest entries, and the host registered (and renewing) since
    /// before it began is in every answer.
    @Test func aFloodFromManySourcesNeverPushesOutAnEstablishedHost() throws {
        var registry = RendezvousRegistry(maxAddressesPerMesh: 32)
        var now = Timestamp.milliseconds(5000)
        registry.register(meshName: "room", address: Self.host, at: now)
        var port: UInt16 = 1
        for step in 0..<120 {
            if step % 20 == 0 { registry.register(meshName: "room", address: Self.host, at: now) }
            for _ in 0..<32 {
                let source = try #require(UDPAddress(ipAddress: "198.51.100.\(1 + Int(port) % 59)", port: 40000 + Int(port)))
                registry.register(meshName: "room", address: source, at: now)
                port &+= 1
            }
            #expect(registry.resolve(meshName: "room", at: now).contains(Self.host), "step \(step)")
            now = now + .milliseconds(500)
        }
    }

    /// At the name table's cap a new name is refused (and said so); names held keep working.
    @Test func aFullNameTableRefusesNewNamesOnly() {
        var registry = RendezvousRegistry(maxMeshes: 2)
        let t0 = Timestamp.milliseconds(5000)
        #expect(registry.register(meshName: "a", address: Self.host, at: t0) == .stored)
        #expect(registry.register(meshName: "b", address: Self.host, at: t0) == .stored)
        #expect(registry.register(meshName: "c", address: Self.host, at: t0) == .namesFull)
        #expect(registry.register(meshName: "a", address: Self.flooder, at: t0) == .stored)
        #expect(registry.meshCount == 2)
    }

    /// A joiner's lookup asks again every 2 s: a host registering 5 s late is found before the deadline.
    @Test func aLookupAsksAgainAndFindsAHostThatRegisteredLate() {
        var bench = RendezvousBench()
        var lookup = RendezvousLookup(names: ["room", "lobby"], from: bench.now, until: bench.now + .seconds(10), requestIDs: 1 << 40)
        var registrar = RendezvousRegistrar(names: ["room"], port: 4000, nonce: 1)
        var foundAt: TimeSpan?
        let start = bench.now
        for step in 0..<200 {
            if step == 50 { bench.run(&registrar, from: Self.host) }
            if !bench.run(&lookup, from: Self.victim).isEmpty, foundAt == nil { foundAt = bench.now - start }
            bench.now = bench.now + .milliseconds(100)
        }
        #expect(lookup.found == [Self.host.withPort(4000)])
        #expect(foundAt == .seconds(6), "the first round after the registration")
        #expect(lookup.rounds == 5, "every 2 s until the 10 s deadline, then no more")
    }

    /// Version-1 datagrams (and any other version) are ignored: no reply, nothing stored, no crash.
    @Test func versionOneDatagramsAreIgnored() {
        var bench = RendezvousBench()
        var v1Register = RendezvousMessage.magic + [1, 1]
        v1Register += [0xA0, 0x0F, 1, UInt8(ascii: "m")]
        var v1Resolve = RendezvousMessage.magic + [1, 2] + [UInt8](repeating: 0, count: 8) + [1, UInt8(ascii: "m")]
        v1Resolve += [UInt8](repeating: 0, count: 512 - v1Resolve.count)
        for datagram in [v1Register, v1Resolve] {
            #expect(RendezvousMessage(decoding: datagram) == nil)
            let reply = bench.receive(datagram, from: Self.host)
            #expect(reply == nil)
        }
        #expect(bench.service.registry.meshCount == 0)
        var lookup = RendezvousLookup(names: ["m"], from: bench.now, until: bench.now + .seconds(10), requestIDs: 0)
        _ = lookup.tick(at: bench.now)
        let v1Answer = RendezvousMessage.magic + [1, 3] + [UInt8](repeating: 0, count: 8) + [1] + Self.host.meshEncoded
        #expect(lookup.receive(v1Answer).isEmpty)
        var registrar = RendezvousRegistrar(names: ["m"], port: 1, nonce: 0)
        #expect(registrar.receive(RendezvousMessage.magic + [1, 4] + [UInt8](repeating: 0, count: 24), at: bench.now).isEmpty)
        for cut in 0..<40 { _ = RendezvousMessage(decoding: Array(v1Resolve.prefix(cut))) }
    }

    @Test func udpAddressesKeepTheirBytesOnTheWire() throws {
        for (text, port) in [("127.0.0.1", 1), ("10.255.0.9", 65535), ("::1", 47000), ("2001:db8::42", 80)] {
            let address = try #require(UDPAddress(ipAddress: text, port: port))
            #expect(UDPAddress(meshEncoded: address.meshEncoded) == address)
            #expect(address.ipAddress == text)
            #expect(Int(address.port) == port)
        }
        #expect(UDPAddress(meshEncoded: [4, 1, 2, 3]) == nil)
        #expect(UDPAddress(meshEncoded: [5, 1, 2, 3, 4, 0, 1]) == nil)
        #expect(UDPAddress(ipAddress: "127.0.0.1", port: 1)!.isLoopback)
        #expect(UDPAddress(ipAddress: "::1", port: 1)!.isLoopback)
        #expect(!UDPAddress(ipAddress: "10.0.0.1", port: 1)!.isLoopback)
    }
}
