import MeshplayCore
import Testing
@testable import MeshTransport

/// Local candidates (issue 14, item 1): a member behind a NAT attaches its LAN address, and an
/// asker behind the same NAT (from the same public IPv4 address) is handed that instead of the
/// public one, which a home router may not loop back to itself. Nobody else ever sees it.
@Suite struct LocalCandidateTests {
    static let now = Timestamp.milliseconds(9_000_000)
    /// The member's registering socket and its game port, as the node sees them through the home's NAT.
    static let memberRegistering = UDPAddress(ipAddress: "100.64.1.2", port: 40_001)!
    static let member = UDPAddress(ipAddress: "100.64.1.2", port: 4000)!
    static let lan = UDPAddress(ipAddress: "192.168.1.2", port: 4000)!
    /// Another player in the same home, and one elsewhere.
    static let neighbour = UDPAddress(ipAddress: "100.64.1.2", port: 52_000)!
    static let stranger = UDPAddress(ipAddress: "100.64.4.2", port: 52_000)!

    /// A service where the member registered "room" with its LAN address attached.
    static func service(relay: RelayTable? = nil) -> RendezvousService {
        var service = RendezvousService(secret: [UInt8](repeating: 7, count: 32), relay: relay)
        var registrar = RendezvousRegistrar(names: ["room"], port: 4000, nonce: 0xC0FFEE)
        registrar.local = lan
        var queue = registrar.tick(at: now)
        while !queue.isEmpty {
            guard let reply = service.receive(queue.removeFirst(), from: memberRegistering, at: now) else { continue }
            queue += registrar.receive(reply, at: now)
        }
        return service
    }

    static func resolve(_ service: inout RendezvousService, from asker: UDPAddress) -> [UDPAddress] {
        let reply = service.receive(RendezvousMessage.resolve(requestID: 5, meshName: "room").encoded, from: asker, at: now)
        guard case .answer(5, let addresses)? = reply.flatMap(RendezvousMessage.init(decoding:)) else { return [] }
        return addresses
    }

    @Test func anAskerBehindTheSameNATGetsTheLANAddressAndNobodyElseSeesIt() {
        var service = Self.service()
        #expect(Self.resolve(&service, from: Self.neighbour) == [Self.lan])
        #expect(Self.resolve(&service, from: Self.stranger) == [Self.member])
        #expect(Self.resolve(&service, from: UDPAddress(ipAddress: "2001:db8::1", port: 1)!) == [Self.member])
        // Introducing itself from the same home: the LAN address too, and its own registration left out.
        var punches: [OutgoingDatagram<UDPAddress>] = []
        let introduce = RendezvousMessage.introduce(requestID: 6, meshName: "room", port: 5000).encoded
        let reply = service.receive(introduce, from: Self.neighbour, at: Self.now, punches: &punches).flatMap(RendezvousMessage.init(decoding:))
        #expect(reply == .answer(requestID: 6, addresses: [Self.lan]))
        let own = service.receive(RendezvousMessage.introduce(requestID: 7, meshName: "room", port: 4000).encoded,
                                  from: Self.memberRegistering, at: Self.now, punches: &punches).flatMap(RendezvousMessage.init(decoding:))
        #expect(own == .answer(requestID: 7, addresses: []), "a member does not hear of itself, by either address")
    }

    @Test func onlyTheRegisteringSocketWithItsNonceAttachesAndOnlyAPrivateAddress() {
        var service = Self.service()
        let elsewhere = UDPAddress(ipAddress: "10.9.9.9", port: 4000)!
        for (nonce, source, address) in [
            (UInt64(0xC0FFEE), Self.stranger, elsewhere),            // its nonce, from another source
            (0xC0FFEF, Self.memberRegistering, elsewhere),           // its socket, a wrong nonce
        ] {
            let forged = RendezvousMessage.local(nonce: nonce, meshName: "room", port: 4000, address: address).encoded
            #expect(service.receive(forged, from: source, at: Self.now) == nil, "no reply, ever")
        }
        #expect(Self.resolve(&service, from: Self.neighbour) == [Self.lan])
        // A public address is no LAN address: it does not decode, and the registry refuses it anyway.
        let open = UDPAddress(ipAddress: "198.51.100.7", port: 4000)!
        #expect(RendezvousMessage(decoding: RendezvousMessage.local(nonce: 1, meshName: "room", port: 4000, address: open).encoded) == nil)
        var registry = RendezvousRegistry()
        registry.register(meshName: "room", address: Self.member, at: Self.now, via: Self.memberRegistering, nonce: 3)
        let openTaken = registry.attach(local: open, meshName: "room", address: Self.member, via: Self.memberRegistering, nonce: 3, at: Self.now)
        let lanTaken = registry.attach(local: Self.lan, meshName: "room", address: Self.member, via: Self.memberRegistering, nonce: 3, at: Self.now)
        #expect(!openTaken && lanTaken)
    }

    @Test func aRelayOrADescriptionAskedForByTheLANAddressIsServedToTheSameHomeOnly() throws {
        var service = Self.service(relay: RelayTable(ports: [7000, 7001], secret: [UInt8](repeating: 3, count: 32)))
        // A neighbour whose LAN link fails (client isolation) asks for a relay to the address it was given.
        var punches: [OutgoingDatagram<UDPAddress>] = []
        func relay(from asker: UDPAddress, member: UDPAddress) throws -> RendezvousMessage? {
            let first = service.receive(RendezvousMessage.relayRequest(nonce: 1, cookie: nil, port: 5000, meshName: "room", member: member).encoded,
                                        from: asker, at: Self.now, punches: &punches).flatMap(RendezvousMessage.init(decoding:))
            guard case .cookie(1, let cookie)? = first else { return first }
            return service.receive(RendezvousMessage.relayRequest(nonce: 1, cookie: cookie, port: 5000, meshName: "room", member: member).encoded,
                                   from: asker, at: Self.now, punches: &punches).flatMap(RendezvousMessage.init(decoding:))
        }
        guard case .relayGrant(1, let port, _)? = try relay(from: Self.neighbour, member: Self.lan), port != 0 else {
            Issue.record("no relay for the same home by the LAN address")
            return
        }
        #expect(punches.count == 1 && punches.first?.address == Self.memberRegistering, "the member is offered the other side")
        guard case .relayGrant(1, 0, _)? = try relay(from: Self.stranger, member: Self.lan) else {
            Issue.record("a stranger named the LAN address and got a relay")
            return
        }
        let describe = RendezvousMessage.describe(requestID: 4, meshName: "room", member: Self.lan).encoded
        let described = service.receive(describe, from: Self.neighbour, at: Self.now).flatMap(RendezvousMessage.init(decoding:))
        #expect(described == .description(requestID: 4, member: Self.lan, details: []))
    }

    @Test func privateIPv4AddressesAreTheThreeLANRanges() {
        let privateOnes = ["10.0.0.1", "10.255.255.254", "172.16.0.1", "172.31.255.1", "192.168.0.1", "192.168.255.9"]
        let others = ["9.255.255.255", "11.0.0.1", "172.15.0.1", "172.32.0.1", "192.167.1.1", "192.169.0.1", "100.64.0.1", "127.0.0.1"]
        #expect(privateOnes.allSatisfy { UDPAddress(ipAddress: $0, port: 1)!.isPrivateIPv4 })
        #expect(others.allSatisfy { !UDPAddress(ipAddress: $0, port: 1)!.isPrivateIPv4 })
        #expect(!UDPAddress(ipAddress: "fd00::1", port: 1)!.isPrivateIPv4)
        let message = RendezvousMessage.local(nonce: 9, meshName: "room", port: 4000, address: Self.lan)
        #expect(RendezvousMessage(decoding: message.encoded) == message)
        #expect(RendezvousMessage(decoding: message.encoded + [0]) == nil)
    }
}
