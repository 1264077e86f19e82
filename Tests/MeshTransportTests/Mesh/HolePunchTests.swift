import MeshplayCore
import Testing
@testable import MeshTransport

/// Hole punching through the rendezvous node (issue 14): a joiner's introduction makes the
/// node ask each registered member to punch toward it, and nobody can turn that into a flood.
@Suite struct HolePunchTests {
    /// The host's game socket as the node sees it (its NAT's public address) and the socket it registers from.
    static let hostGame = UDPAddress(ipAddress: "100.64.1.2", port: 5555)!
    static let hostRegistrar = UDPAddress(ipAddress: "100.64.1.2", port: 40_001)!
    static let joinerLookup = UDPAddress(ipAddress: "100.64.4.2", port: 41_000)!
    static let joinerGamePort: UInt16 = 6666
    static let now = Timestamp.milliseconds(1_000_000)

    /// A service with the host registered under `room` (cookie round trip done) from its registrar socket.
    static func registered(room: String = "room") -> (RendezvousService, RendezvousRegistrar) {
        var service = RendezvousService(secret: [UInt8](repeating: 7, count: 32))
        var registrar = RendezvousRegistrar(names: [room], port: hostGame.port, nonce: 0xABCD)
        var queue = registrar.tick(at: now)
        while !queue.isEmpty {
            guard let reply = service.receive(queue.removeFirst(), from: hostRegistrar, at: now) else { continue }
            queue += registrar.receive(reply, at: now)
        }
        return (service, registrar)
    }

    @Test func anIntroductionAsksTheRegisteredHostToPunchTowardTheJoinersGamePort() throws {
        var (service, registrar) = Self.registered()
        #expect(registrar.isRegistered)
        let introduce = RendezvousMessage.introduce(requestID: 9, meshName: "room", port: Self.joinerGamePort).encoded
        var punches: [OutgoingDatagram<UDPAddress>] = []
        let reply = try #require(service.receive(introduce, from: Self.joinerLookup, at: Self.now, punches: &punches))
        #expect(reply.count <= introduce.count, "the asker gets no more than it sent")
        #expect(RendezvousMessage(decoding: reply) == .answer(requestID: 9, addresses: [Self.hostGame]))
        // One punch request, to where the host registered from (its NAT lets the node reach that socket).
        #expect(punches.count == 1)
        let request = try #require(punches.first)
        #expect(request.address == Self.hostRegistrar)
        let joinerGame = Self.joinerLookup.withPort(Self.joinerGamePort)
        #expect(RendezvousMessage(decoding: request.bytes) == .punch(nonce: 0xABCD, address: joinerGame))
        var toPunch: [RendezvousRegistrar.MemberRequest] = []
        #expect(registrar.receive(request.bytes, at: Self.now, requests: &toPunch).isEmpty)
        #expect(toPunch == [.punch(toward: joinerGame)], "the host's game socket punches toward the joiner's game port at the joiner's IP")
    }

    @Test func aPlainResolveAndAnUnprovenRegistrationCauseNoPunch() throws {
        var (service, _) = Self.registered()
        var punches: [OutgoingDatagram<UDPAddress>] = []
        _ = service.receive(RendezvousMessage.resolve(requestID: 1, meshName: "room").encoded, from: Self.joinerLookup, at: Self.now, punches: &punches)
        #expect(punches.isEmpty)
        // A register without a cookie (a spoofed source) is never stored, so it is never asked to punch.
        var fresh = RendezvousService(secret: [UInt8](repeating: 7, count: 32))
        let spoofed = RendezvousMessage.register(nonce: 5, cookie: nil, meshName: "room", port: 4000).encoded
        _ = fresh.receive(spoofed, from: UDPAddress(ipAddress: "192.0.2.44", port: 4000)!, at: Self.now)
        _ = fresh.receive(RendezvousMessage.introduce(requestID: 2, meshName: "room", port: 7).encoded, from: Self.joinerLookup, at: Self.now, punches: &punches)
        #expect(punches.isEmpty)
        // Nor is a member asked to punch toward itself.
        _ = service.receive(
            RendezvousMessage.introduce(requestID: 3, meshName: "room", port: Self.hostGame.port).encoded,
            from: Self.hostGame.withPort(1234), at: Self.now, punches: &punches)
        #expect(punches.isEmpty)
    }

    @Test func theNodeAsksAMemberOncePerNewcomerASecond() throws {
        var (service, _) = Self.registered()
        var punches: [OutgoingDatagram<UDPAddress>] = []
        let introduce = RendezvousMessage.introduce(requestID: 9, meshName: "room", port: Self.joinerGamePort).encoded
        for _ in 0..<50 { _ = service.receive(introduce, from: Self.joinerLookup, at: Self.now, punches: &punches) }
        #expect(punches.count == 1, "a burst of one newcomer's introductions asks once")
        _ = service.receive(introduce, from: Self.joinerLookup, at: Self.now + .seconds(1), punches: &punches)
        #expect(punches.count == 2, "a second later it asks again (a joiner re-introduces every 2 s until it is in)")
    }

    /// Item 8: the node's datagrams are cleartext. A forged punch request without the member's
    /// register nonce makes it send nothing; one with the nonce (an on-path attacker), however
    /// many and whatever they name, makes it send at most 32 four-byte datagrams every 10 s.
    @Test func aForgedOrFloodedPunchRequestMakesTheMemberSendAtMostAFewSmallDatagrams() throws {
        var (_, registrar) = Self.registered()
        var toPunch: [RendezvousRegistrar.MemberRequest] = []
        for guess in 0..<1000 {
            let forged = RendezvousMessage.punch(nonce: UInt64(guess), address: UDPAddress(ipAddress: "192.0.2.1", port: 80)!).encoded
            _ = registrar.receive(forged, at: Self.now, requests: &toPunch)
            let offer = RendezvousMessage.relayOffer(nonce: UInt64(guess), port: 4000, token: [UInt8](repeating: 1, count: 16)).encoded
            _ = registrar.receive(offer, at: Self.now, requests: &toPunch)
        }
        #expect(toPunch.isEmpty, "without the member's own nonce a punch request or relay offer is ignored")
        var sent = 0
        for second in 0..<60 {
            for victim in 0..<100 {
                let request = RendezvousMessage.punch(nonce: 0xABCD, address: UDPAddress(ipAddress: "192.0.2.1", port: 1000 + victim)!).encoded
                var round: [RendezvousRegistrar.MemberRequest] = []
                _ = registrar.receive(request, at: Self.now + .seconds(Int64(second)), requests: &round)
                sent += round.count
            }
        }
        #expect(sent <= 6 * 32, "60 s of 100 requests a second: at most 32 punches per 10 s")
        #expect(sent > 0)
        let bytes = sent * MeshEndpoint<UDPAddress>.punchDatagram.count
        #expect(bytes <= 6 * 32 * 4, "\(bytes) bytes sent for 6,000 requests of \(RendezvousMessage.punch(nonce: 0, address: Self.hostGame).encoded.count) bytes each")
    }

    /// A stranger introducing itself over and over (fresh ports, so each is a new newcomer) gets
    /// at most 128 punch requests sent in 10 s, and another joiner's introduction still gets its own.
    @Test func oneAskerCannotUseUpThePunchesOthersShare() {
        var service = RendezvousService(secret: [UInt8](repeating: 7, count: 32))
        // 16 members of the room, each from its own address, registered properly.
        for member in 0..<16 {
            let source = UDPAddress(ipAddress: "100.64.9.\(member + 1)", port: 40_000)!
            var registrar = RendezvousRegistrar(names: ["room"], port: 5000, nonce: UInt64(member) << 8)
            var queue = registrar.tick(at: Self.now)
            while !queue.isEmpty {
                guard let reply = service.receive(queue.removeFirst(), from: source, at: Self.now) else { continue }
                queue += registrar.receive(reply, at: Self.now)
            }
        }
        var punches: [OutgoingDatagram<UDPAddress>] = []
        for port in 1...100 {
            let introduce = RendezvousMessage.introduce(requestID: UInt64(port), meshName: "room", port: UInt16(port)).encoded
            _ = service.receive(introduce, from: Self.joinerLookup, at: Self.now + .milliseconds(Int64(port)), punches: &punches)
        }
        #expect(punches.count == 128, "100 introductions to 16 members: 1,600 asked for, 128 sent")
        var others: [OutgoingDatagram<UDPAddress>] = []
        let honest = RendezvousMessage.introduce(requestID: 999, meshName: "room", port: 7777).encoded
        _ = service.receive(honest, from: UDPAddress(ipAddress: "100.64.4.99", port: 41_000)!, at: Self.now + .seconds(1), punches: &others)
        #expect(others.count == 16, "another joiner is introduced to every member")
    }

    @Test func punchDatagramsAreDroppedUnreadByAnyEndpoint() {
        var entropy = SeededEntropy(seed: 3)
        var endpoint = MeshEndpoint<UDPAddress>(
            identity: NodeIdentity(entropy: &entropy), credentials: MeshCredentials(meshName: "m"), entropy: entropy)
        var output = EndpointOutput<UDPAddress>()
        endpoint.punch(toward: Self.joinerLookup, into: &output)
        #expect(output.datagrams.count == 1)
        #expect(output.datagrams.first?.bytes.count == 4)
        #expect(endpoint.counters.punchesSent == 1)
        var receiving = MeshEndpoint<UDPAddress>(
            identity: NodeIdentity(entropy: &entropy), credentials: MeshCredentials(meshName: "m"), entropy: entropy)
        var received = EndpointOutput<UDPAddress>()
        receiving.receive(MeshEndpoint<UDPAddress>.punchDatagram, from: Self.hostGame, at: Self.now, into: &received)
        #expect(received.datagrams.isEmpty && received.events.isEmpty, "no reply, no event")
        #expect(receiving.counters.rejected == 1)
        // The sender notes the address it punched toward: a link there shows as punched (LinkPath).
        var sent = EndpointOutput<UDPAddress>()
        endpoint.sendCleartext(OutgoingDatagram(address: Self.hostGame, bytes: RendezvousMessage.relayBind(token: [UInt8](repeating: 1, count: 16))), into: &sent)
        #expect(endpoint.counters.punchesSent == 2)
    }

    @Test func aLinkAtAnAddressPunchedTowardOrRelayedThroughSaysSo() {
        var pair = EndpointPair()
        #expect(pair.connect() == .direct, "nothing noted: direct")
        pair = EndpointPair()
        pair.a.note(.punched, at: pair.addressB)
        #expect(pair.connect() == .punched)
        pair = EndpointPair()
        var output = EndpointOutput<UDPAddress>()
        pair.a.sendCleartext(OutgoingDatagram(address: pair.addressB, bytes: RendezvousMessage.relayBind(token: [UInt8](repeating: 1, count: 16))), into: &output)
        #expect(pair.connect() == .relayed, "a relay port this end bound")
    }

    @Test func theEndAPunchReachesSaysItsLinkIsPunchedToo() {
        // The joiner's side: the host behind a NAT punched toward it, so its link runs through that hole as well.
        var pair = EndpointPair()
        var ignored = EndpointOutput<UDPAddress>()
        pair.a.receive(MeshEndpoint<UDPAddress>.punchDatagram, from: pair.addressB, at: pair.now, into: &ignored)
        #expect(pair.connect() == .punched)
        // A punch from elsewhere says nothing about this link.
        pair = EndpointPair()
        pair.a.receive(MeshEndpoint<UDPAddress>.punchDatagram, from: pair.addressA, at: pair.now, into: &ignored)
        #expect(pair.connect() == .direct)
        // A relay port this end bound stays relayed, whatever arrives from it: a forged punch changes no label.
        pair = EndpointPair()
        pair.a.sendCleartext(OutgoingDatagram(address: pair.addressB, bytes: RendezvousMessage.relayBind(token: [UInt8](repeating: 1, count: 16))), into: &ignored)
        pair.a.receive(MeshEndpoint<UDPAddress>.punchDatagram, from: pair.addressB, at: pair.now, into: &ignored)
        #expect(pair.connect() == .relayed)
    }


    @Test func aLookupIntroducesItselfUnderTheRoomsOwnNameOnly() {
        var lookup = RendezvousLookup(names: ["room-own", "lobby"], from: Self.now, until: Self.now + .seconds(10), requestIDs: 100, introducingPort: 6666)
        let sent = lookup.tick(at: Self.now).map { RendezvousMessage(decoding: $0) }
        #expect(sent == [.introduce(requestID: 100, meshName: "room-own", port: 6666), .resolve(requestID: 101, meshName: "lobby")])
        #expect(lookup.receive(RendezvousMessage.answer(requestID: 100, addresses: [Self.hostGame]).encoded) == [Self.hostGame])
    }

    @Test func introduceAndPunchRoundTripAndRefuseBadForms() {
        let v6 = UDPAddress(ipAddress: "2001:db8::7", port: 9)!
        for message in [
            RendezvousMessage.introduce(requestID: 1, meshName: "n", port: 2),
            .punch(nonce: 3, address: Self.hostGame), .punch(nonce: 4, address: v6),
        ] {
            #expect(RendezvousMessage(decoding: message.encoded) == message)
        }
        #expect(RendezvousMessage.punch(nonce: 3, address: Self.hostGame).encoded.count == 21)
        #expect(RendezvousMessage.punch(nonce: 3, address: v6).encoded.count == 33)
        let introduce = RendezvousMessage.introduce(requestID: 1, meshName: "n", port: 2).encoded
        #expect(introduce.count == RendezvousMessage.resolvePaddedSize)
        #expect(RendezvousMessage(decoding: Array(introduce.prefix(40))) == nil, "an unpadded introduction could be answered with more than it sent")
        let punch = RendezvousMessage.punch(nonce: 3, address: Self.hostGame).encoded
        #expect(RendezvousMessage(decoding: punch + [0]) == nil)
        #expect(RendezvousMessage(decoding: Array(punch.dropLast())) == nil)
    }
}


/// Two endpoints on UDP addresses, handing each other's datagrams over by hand.
struct EndpointPair {
    var a: MeshEndpoint<UDPAddress>
    var b: MeshEndpoint<UDPAddress>
    let addressA = UDPAddress(ipAddress: "10.0.0.1", port: 1000)!
    let addressB = UDPAddress(ipAddress: "10.0.0.2", port: 2000)!
    let now = Timestamp.milliseconds(1_000_000)

    init() {
        var entropy = SeededEntropy(seed: 11)
        a = MeshEndpoint(identity: NodeIdentity(entropy: &entropy), credentials: MeshCredentials(meshName: "m"), entropy: SeededEntropy(seed: 12))
        b = MeshEndpoint(identity: NodeIdentity(entropy: &entropy), credentials: MeshCredentials(meshName: "m"), entropy: SeededEntropy(seed: 13))
    }

    /// A connects to B; returns how A's link to B runs once up.
    mutating func connect() -> LinkPath? {
        var toB = EndpointOutput<UDPAddress>()
        var toA = EndpointOutput<UDPAddress>()
        a.connect(to: addressB, at: now, into: &toB)
        for _ in 0..<6 {
            for datagram in toB.datagrams where datagram.address == addressB { b.receive(datagram.bytes, from: addressA, at: now, into: &toA) }
            toB.removeAll()
            for datagram in toA.datagrams where datagram.address == addressA { a.receive(datagram.bytes, from: addressB, at: now, into: &toB) }
            toA.removeAll()
        }
        return a.path(to: b.peerID)
    }
}
