import MeshplayCore
import Testing
@testable import MeshTransport

/// What a member attaches to its registration (a room's signed advert) and a lobby asks for
/// when no path reaches the member from it: rendezvous kinds 11-13.
@Suite struct RoomDetailsTests {
    static let host = UDPAddress(ipAddress: "203.0.113.5", port: 40_001)!
    static let advert: [UInt8] = Array("a room's signed advert".utf8)

    /// A registrar registered under `names` at `bench`, with `details` to attach.
    static func registered(_ names: [String], details: [UInt8], bench: inout RendezvousBench) -> RendezvousRegistrar {
        var registrar = RendezvousRegistrar(names: names, port: 4000, nonce: 77)
        registrar.details = details
        bench.run(&registrar, from: host)
        return registrar
    }

    static func describe(_ name: String, _ member: UDPAddress, bench: inout RendezvousBench) throws -> [UInt8] {
        let request = RendezvousMessage.describe(requestID: 9, meshName: name, member: member).encoded
        let answered = bench.service.receive(request, from: UDPAddress(ipAddress: "198.51.100.9", port: 5000)!, at: bench.now)
        let reply = try #require(answered)
        #expect(reply.count <= request.count, "never larger than the request")
        guard case .description(9, member, let details)? = RendezvousMessage(decoding: reply) else {
            Issue.record("not a description: \(reply)")
            return []
        }
        return details
    }

    @Test func aRegisteredMembersDetailsAreAttachedAndDescribed() throws {
        var bench = RendezvousBench()
        _ = Self.registered(["lobby", "room"], details: Self.advert, bench: &bench)
        let member = Self.host.withPort(4000)
        #expect(try Self.describe("lobby", member, bench: &bench) == Self.advert)
        #expect(try Self.describe("room", member, bench: &bench) == Self.advert)
        #expect(try Self.describe("other", member, bench: &bench) == [], "nothing under a name it did not register")
        #expect(try Self.describe("lobby", Self.host.withPort(4001), bench: &bench) == [], "nor at another address")
    }

    @Test func onlyTheRegisteringSocketWithItsNonceCanAttach() throws {
        var bench = RendezvousBench()
        _ = Self.registered(["lobby"], details: Self.advert, bench: &bench)
        let member = Self.host.withPort(4000)
        // Its nonce from elsewhere (a spoofed source), or a guessed nonce from its own socket: ignored, unanswered.
        for (nonce, source) in [(UInt64(77), UDPAddress(ipAddress: "198.51.100.66", port: 40_001)!), (78, Self.host), (1, Self.host)] {
            let forged = RendezvousMessage.details(nonce: nonce, meshName: "lobby", port: 4000, details: Array("forged".utf8)).encoded
            #expect(bench.service.receive(forged, from: source, at: bench.now) == nil, "no reply to details, ever")
        }
        #expect(try Self.describe("lobby", member, bench: &bench) == Self.advert)
        // Nothing attaches to a name the member never registered.
        let unregistered = RendezvousMessage.details(nonce: 77, meshName: "elsewhere", port: 4000, details: Self.advert).encoded
        _ = bench.service.receive(unregistered, from: Self.host, at: bench.now)
        #expect(try Self.describe("elsewhere", member, bench: &bench) == [])
    }

    @Test func changedDetailsGoOutWithinASecondAndSurviveRenewalAndExpireWithTheRegistration() throws {
        var bench = RendezvousBench()
        var registrar = Self.registered(["lobby"], details: Self.advert, bench: &bench)
        let member = Self.host.withPort(4000)
        bench.now = bench.now + .milliseconds(500)
        registrar.details = Array("two players now".utf8)
        bench.run(&registrar, from: Self.host)
        #expect(try Self.describe("lobby", member, bench: &bench) == Self.advert, "at most one refresh a second")
        bench.now = bench.now + .milliseconds(600)
        #expect(registrar.detailsDue(at: bench.now))
        bench.run(&registrar, from: Self.host)
        #expect(try Self.describe("lobby", member, bench: &bench) == Array("two players now".utf8))
        // Unchanged: nothing more is sent until the renewal, which re-attaches them.
        bench.now = bench.now + .seconds(2)
        #expect(registrar.tick(at: bench.now).isEmpty)
        bench.now = bench.now + .seconds(8)
        let renewal = registrar.tick(at: bench.now)
        #expect(renewal.count == 1, "the register; its details follow the registered reply")
        var copy = registrar
        var followUps: [[UInt8]] = []
        bench.exchange(renewal, from: Self.host) { bench, reply in
            let sent = copy.receive(reply, at: bench.now)
            followUps += sent
            return sent
        }
        #expect(followUps.compactMap { RendezvousMessage(decoding: $0) }.contains { if case .details = $0 { true } else { false } })
        #expect(try Self.describe("lobby", member, bench: &bench) == Array("two players now".utf8))
        // A member that stops registering is gone, details and all.
        bench.now = bench.now + .seconds(31)
        #expect(try Self.describe("lobby", member, bench: &bench) == [])
    }

    @Test func detailsMessagesRoundTripAndRefuseBadForms() {
        let v6 = UDPAddress(ipAddress: "2001:db8::5", port: 7)!
        let full = [UInt8](repeating: 0xA5, count: RendezvousMessage.maxDetailsBytes)
        for message in [
            RendezvousMessage.details(nonce: 1, meshName: "m", port: 2, details: full),
            .describe(requestID: 3, meshName: "m", member: Self.host), .describe(requestID: 4, meshName: "m", member: v6),
            .description(requestID: 5, member: v6, details: full), .description(requestID: 6, member: Self.host, details: []),
        ] {
            #expect(RendezvousMessage(decoding: message.encoded) == message)
        }
        let describe = RendezvousMessage.describe(requestID: 3, meshName: "m", member: v6).encoded
        #expect(describe.count == 512)
        #expect(RendezvousMessage(decoding: Array(describe.prefix(100))) == nil, "an unpadded describe could be answered with more than it sent")
        #expect(RendezvousMessage.description(requestID: 5, member: v6, details: full).encoded.count <= 291)
        // Too long, a zero port, trailing bytes: refused.
        var tooLong = RendezvousMessage.details(nonce: 1, meshName: "m", port: 2, details: []).encoded.dropLast()
        tooLong += [0x81, 0x02] + [UInt8](repeating: 1, count: 257)
        #expect(RendezvousMessage(decoding: Array(tooLong)) == nil)
        #expect(RendezvousMessage(decoding: RendezvousMessage.details(nonce: 1, meshName: "m", port: 0, details: [1]).encoded) == nil)
        #expect(RendezvousMessage(decoding: RendezvousMessage.description(requestID: 1, member: v6, details: [1]).encoded + [0]) == nil)
    }
}
