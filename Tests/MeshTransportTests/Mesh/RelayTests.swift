import MeshplayCore
import Testing
@testable import MeshTransport

/// The resolver's relay (issue 14, item 3): pairs that no punched path joins (a symmetric NAT)
/// talk through two relay ports, and nobody can aim the relay at anyone else.
@Suite struct RelayTests {
    static let now = Timestamp.milliseconds(5_000_000)
    static let newcomer = UDPAddress(ipAddress: "100.64.5.2", port: 41_000)!
    /// The newcomer's game socket as its symmetric NAT maps it toward the relay port.
    static let newcomerGame = UDPAddress(ipAddress: "100.64.5.2", port: 52_123)!
    static let member = UDPAddress(ipAddress: "100.64.2.2", port: 5555)!
    static let memberGame = UDPAddress(ipAddress: "100.64.2.2", port: 60_321)!
    static let stranger = UDPAddress(ipAddress: "192.0.2.9", port: 80)!

    static func table(ports: [UInt16] = [7000, 7001, 7002, 7003]) -> RelayTable {
        RelayTable(ports: ports, secret: [UInt8](repeating: 3, count: 32))
    }

    /// A pair with both sides bound, and its grant.
    static func boundPair(_ table: inout RelayTable) throws -> RelayTable.Grant {
        let grantResult = table.pair(newcomer: newcomer, member: member, at: now)
        let grant = try #require(grantResult)
        #expect(table.receive(RendezvousMessage.relayBind(token: grant.newcomerToken), from: newcomerGame, atPort: grant.newcomerPort, at: now) == nil)
        #expect(table.receive(RendezvousMessage.relayBind(token: grant.memberToken), from: memberGame, atPort: grant.memberPort, at: now) == nil)
        return grant
    }

    @Test func aPairCarriesDatagramsBothWaysOnlyBetweenItsBoundSides() throws {
        var table = Self.table()
        let grantResult = table.pair(newcomer: Self.newcomer, member: Self.member, at: Self.now)
        let grant = try #require(grantResult)
        #expect(grant.newcomerPort != grant.memberPort)
        let packet: [UInt8] = Array(repeating: 0x42, count: 90)
        // Nothing crosses before both sides bound their ports.
        #expect(table.receive(packet, from: Self.newcomerGame, atPort: grant.newcomerPort, at: Self.now) == nil)
        #expect(table.receive(RendezvousMessage.relayBind(token: grant.newcomerToken), from: Self.newcomerGame, atPort: grant.newcomerPort, at: Self.now) == nil,
                "a bind is never answered")
        #expect(table.receive(packet, from: Self.newcomerGame, atPort: grant.newcomerPort, at: Self.now) == nil, "the member's side is not bound yet")
        // A bind with the wrong token, or the other side's token at this port, binds nothing.
        #expect(table.receive(RendezvousMessage.relayBind(token: grant.newcomerToken), from: Self.stranger, atPort: grant.memberPort, at: Self.now) == nil)
        #expect(table.receive(RendezvousMessage.relayBind(token: [UInt8](repeating: 9, count: 16)), from: Self.stranger, atPort: grant.memberPort, at: Self.now) == nil)
        #expect(table.pairs[0].bound[1] == nil)
        #expect(table.receive(RendezvousMessage.relayBind(token: grant.memberToken), from: Self.memberGame, atPort: grant.memberPort, at: Self.now) == nil)
        // Now both ways, each from the other side's port.
        let thereResult = table.receive(packet, from: Self.newcomerGame, atPort: grant.newcomerPort, at: Self.now)
        let there = try #require(thereResult)
        #expect(there.to == Self.memberGame && there.fromPort == grant.memberPort && there.bytes == packet)
        let backResult = table.receive([1, 2, 3], from: Self.memberGame, atPort: grant.memberPort, at: Self.now)
        let back = try #require(backResult)
        #expect(back.to == Self.newcomerGame && back.fromPort == grant.newcomerPort)
        #expect(table.bytesForwarded == 93)
        // A stranger at either port, or a side at the other's port, gets nothing through and no reply.
        for (sender, port) in [(Self.stranger, grant.newcomerPort), (Self.stranger, grant.memberPort), (Self.newcomerGame, grant.memberPort), (Self.memberGame, UInt16(9999))] {
            #expect(table.receive(packet, from: sender, atPort: port, at: Self.now) == nil)
        }
    }

    @Test func aSideThatMovesIsFollowedOnlyWithItsToken() throws {
        var table = Self.table()
        let grant = try Self.boundPair(&table)
        let moved = Self.newcomerGame.withPort(52_999)
        #expect(table.receive([7], from: moved, atPort: grant.newcomerPort, at: Self.now) == nil, "an unbound address is not followed")
        _ = table.receive(RendezvousMessage.relayBind(token: grant.newcomerToken), from: moved, atPort: grant.newcomerPort, at: Self.now)
        #expect(table.receive([7], from: moved, atPort: grant.newcomerPort, at: Self.now)?.to == Self.memberGame)
    }

    @Test func budgetsCapWhatAPairAndTheRelayForward() throws {
        var table = Self.table()
        table.pairBytesPerSecond = 1000
        let grant = try Self.boundPair(&table)
        let packet = [UInt8](repeating: 1, count: 500)
        var through = 0
        for _ in 0..<10 where table.receive(packet, from: Self.newcomerGame, atPort: grant.newcomerPort, at: Self.now) != nil { through += 1 }
        #expect(through == 4, "a burst of twice the per-second budget")
        #expect(table.receive(packet, from: Self.newcomerGame, atPort: grant.newcomerPort, at: Self.now + .milliseconds(500)) != nil, "half a second refills 500 bytes")
        #expect(table.receive(packet, from: Self.newcomerGame, atPort: grant.newcomerPort, at: Self.now + .milliseconds(500)) == nil)
        #expect(table.dropped >= 6)
    }

    @Test func twoMembersAskingForEachOtherShareOnePair() throws {
        var table = Self.table()
        let askedResult = table.pair(newcomer: Self.newcomer, member: Self.member, at: Self.now)
        let askedBackResult = table.pair(newcomer: Self.member, member: Self.newcomer, at: Self.now)
        let asked = try #require(askedResult)
        let askedBack = try #require(askedBackResult)
        #expect(table.pairs.count == 1)
        #expect(askedBack.newcomerPort == asked.memberPort && askedBack.newcomerToken == asked.memberToken)
        #expect(askedBack.memberPort == asked.newcomerPort)
    }

    @Test func twoPlayersBehindOneAddressGetTwoPairs() throws {
        var table = Self.table()
        let firstResult = table.pair(newcomer: Self.newcomer, member: Self.member, at: Self.now)
        let secondResult = table.pair(newcomer: Self.newcomer.withPort(41_001), member: Self.member, at: Self.now)
        let first = try #require(firstResult)
        let second = try #require(secondResult)
        #expect(first.newcomerPort != second.newcomerPort && first.memberPort != second.memberPort)
    }

    @Test func poolQuotaAndIdlePairsAreBounded() throws {
        var table = Self.table()
        table.maxPairsPerSource = 1
        let firstResult = table.pair(newcomer: Self.newcomer, member: Self.member, at: Self.now)
        let first = try #require(firstResult)
        #expect(table.pair(newcomer: Self.newcomer, member: Self.member, at: Self.now) == first, "asked again: the same pair, ports and tokens")
        // One pair per source: a second member closes the first pair.
        let secondResult = table.pair(newcomer: Self.newcomer, member: Self.member.withPort(6000), at: Self.now)
        let second = try #require(secondResult)
        #expect(table.pairs.count == 1 && table.pairs[0].ports == [second.newcomerPort, second.memberPort])
        // Four ports, two pairs: a third source is refused.
        let madeResult = table.pair(newcomer: Self.stranger, member: Self.member, at: Self.now)
        _ = try #require(madeResult)
        #expect(table.pair(newcomer: UDPAddress(ipAddress: "198.51.100.1", port: 1)!, member: Self.member, at: Self.now) == nil)
        #expect(table.freePortCount == 0)
        // Idle pairs close and give their ports back.
        table.expire(at: Self.now + table.idleLifetime)
        #expect(table.pairs.isEmpty && table.freePortCount == 4)
    }

    @Test func aRelayRequestIsServedOnlyToAProvenSourceForARegisteredMember() throws {
        var service = RendezvousService(secret: [UInt8](repeating: 7, count: 32), relay: Self.table())
        // The member registers from its registering socket (cookie round trip).
        let memberRegistrar = Self.member.withPort(40_001)
        var registrar = RendezvousRegistrar(names: ["room"], port: Self.member.port, nonce: 0xBEEF)
        var queue = registrar.tick(at: Self.now)
        while !queue.isEmpty {
            guard let reply = service.receive(queue.removeFirst(), from: memberRegistrar, at: Self.now) else { continue }
            queue += registrar.receive(reply, at: Self.now)
        }
        // A request without a cookie gets a cookie, smaller than the request, and nothing else.
        var others: [OutgoingDatagram<UDPAddress>] = []
        let request = RendezvousMessage.relayRequest(nonce: 1, cookie: nil, port: 6000, meshName: "room", member: Self.member).encoded
        let cookieReplyResult = service.receive(request, from: Self.newcomer, at: Self.now, punches: &others)
        let cookieReply = try #require(cookieReplyResult)
        #expect(cookieReply.count < request.count && others.isEmpty)
        guard case .cookie(1, let cookie) = RendezvousMessage(decoding: cookieReply) else { Issue.record("no cookie"); return }
        // With it: a grant for the newcomer, an offer to the member's registering socket.
        let proven = RendezvousMessage.relayRequest(nonce: 1, cookie: cookie, port: 6000, meshName: "room", member: Self.member).encoded
        let grantReplyResult = service.receive(proven, from: Self.newcomer, at: Self.now, punches: &others)
        let grantReply = try #require(grantReplyResult)
        #expect(grantReply.count <= proven.count)
        guard case .relayGrant(1, let port, let token) = RendezvousMessage(decoding: grantReply), port != 0 else { Issue.record("no grant"); return }
        #expect(others.count == 1 && others.first?.address == memberRegistrar)
        var requests: [RendezvousRegistrar.MemberRequest] = []
        _ = registrar.receive(try #require(others.first).bytes, at: Self.now, requests: &requests)
        guard case .bindRelay(let memberPort, let memberToken)? = requests.first else { Issue.record("no bind asked of the member"); return }
        #expect(memberPort != port)
        // Both bind from their game sockets, and the relay carries their packets.
        _ = service.receive(RendezvousMessage.relayBind(token: token), from: Self.newcomerGame, atRelayPort: port, at: Self.now)
        _ = service.receive(RendezvousMessage.relayBind(token: memberToken), from: Self.memberGame, atRelayPort: memberPort, at: Self.now)
        #expect(service.receive([5, 5], from: Self.newcomerGame, atRelayPort: port, at: Self.now)?.to == Self.memberGame)
        // A member not registered under the name, or a name nobody holds: refused.
        others.removeAll()
        for (name, member) in [("room", Self.stranger), ("nosuch", Self.member)] {
            let asked = RendezvousMessage.relayRequest(nonce: 2, cookie: cookie, port: 6000, meshName: name, member: member).encoded
            let reply = service.receive(asked, from: Self.newcomer, at: Self.now, punches: &others).flatMap(RendezvousMessage.init(decoding:))
            #expect(reply == .relayGrant(nonce: 2, port: 0, token: [UInt8](repeating: 0, count: 16)))
        }
        #expect(others.isEmpty)
        // A resolver run without --relay refuses every request.
        var plain = RendezvousService(secret: [UInt8](repeating: 7, count: 32))
        let refused = plain.receive(proven, from: Self.newcomer, at: Self.now).flatMap(RendezvousMessage.init(decoding:))
        #expect(refused == .relayGrant(nonce: 1, port: 0, token: [UInt8](repeating: 0, count: 16)))
    }

    @Test func aLookupAsksForTheRelayOnlyAfterTheRoomsMemberWentUnreachedAWhile() throws {
        var lookup = RendezvousLookup(
            names: ["room", "lobby"], from: Self.now, until: Self.now + .seconds(30), interval: .seconds(2), requestIDs: 500, introducingPort: 6000)
        lookup.relayAfter = .milliseconds(1500)
        var replies: [[UInt8]] = []
        var grants: [RendezvousLookup.RelayGrant] = []
        #expect(lookup.tick(at: Self.now).count == 2, "a first round: the two names, no relay yet")
        _ = lookup.receive(RendezvousMessage.answer(requestID: 500, addresses: [Self.member]).encoded, at: Self.now, replies: &replies, grants: &grants)
        let second = lookup.tick(at: Self.now + .seconds(2)).compactMap(RendezvousMessage.init(decoding:))
        guard case .relayRequest(let nonce, nil, 6000, "room", Self.member)? = second.last else { Issue.record("no relay request: \(second)"); return }
        // The node's cookie makes it ask again at once, with the cookie.
        let cookie = [UInt8](repeating: 0xC0, count: 16)
        _ = lookup.receive(RendezvousMessage.cookie(nonce: nonce, cookie: cookie).encoded, at: Self.now + .seconds(2), replies: &replies, grants: &grants)
        #expect(replies.map { RendezvousMessage(decoding: $0) } == [.relayRequest(nonce: nonce, cookie: cookie, port: 6000, meshName: "room", member: Self.member)])
        _ = lookup.receive(RendezvousMessage.relayGrant(nonce: nonce, port: 7002, token: cookie).encoded, at: Self.now + .seconds(2), replies: &replies, grants: &grants)
        #expect(grants == [RendezvousLookup.RelayGrant(member: Self.member, port: 7002, token: cookie)])
        // A refusal, or a grant for a nonce it never sent, grants nothing.
        _ = lookup.receive(RendezvousMessage.relayGrant(nonce: nonce, port: 0, token: []).encoded, at: Self.now, replies: &replies, grants: &grants)
        _ = lookup.receive(RendezvousMessage.relayGrant(nonce: nonce &+ 77, port: 7004, token: cookie).encoded, at: Self.now, replies: &replies, grants: &grants)
        #expect(grants.count == 1)
    }

    @Test func relayMessagesRoundTripAndRefuseBadForms() {
        let token = [UInt8](repeating: 0xAA, count: 16)
        for message in [
            RendezvousMessage.relayRequest(nonce: 1, cookie: token, port: 6000, meshName: "room", member: Self.member),
            .relayRequest(nonce: 1, cookie: nil, port: 6000, meshName: "r", member: UDPAddress(ipAddress: "2001:db8::1", port: 3)!),
            .relayGrant(nonce: 2, port: 7000, token: token), .relayOffer(nonce: 3, port: 7001, token: token),
        ] {
            #expect(RendezvousMessage(decoding: message.encoded) == message)
        }
        let grant = RendezvousMessage.relayGrant(nonce: 2, port: 7000, token: token).encoded
        #expect(grant.count == 32)
        #expect(RendezvousMessage.relayRequest(nonce: 1, cookie: nil, port: 6000, meshName: "", member: Self.member).encoded.count == 40)
        #expect(RendezvousMessage(decoding: grant + [0]) == nil)
        #expect(RendezvousMessage.relayBind(token: token).count == 20)
        #expect(RendezvousMessage(decoding: RendezvousMessage.relayBind(token: token)) == nil, "a bind is not a rendezvous message")
    }
}
