import MeshplayCore
import Testing
@testable import MeshTransport

@Suite struct RendezvousServiceTests {
    @Test func registrationsTakeTheSendersHostAndAnswersFitTheRequest() throws {
        var service = RendezvousService()
        let sender = try #require(UDPAddress(ipAddress: "10.0.0.7", port: 5555))
        let registered = service.receive(RendezvousMessage.register(meshName: "m", port: 4000).encoded, from: sender, at: .milliseconds(1))
        #expect(registered == nil, "a registration gets no reply")
        let request = RendezvousMessage.resolve(requestID: 9, meshName: "m").encoded
        let answered = service.receive(request, from: sender, at: .milliseconds(2))
        let reply = try #require(answered)
        #expect(reply.count <= request.count)
        #expect(RendezvousMessage(decoding: reply) == .answer(requestID: 9, addresses: [sender.withPort(4000)]))
        let junk = service.receive([1, 2, 3], from: sender, at: .milliseconds(3))
        #expect(junk == nil)
        let unpadded = service.receive(Array(request.prefix(40)), from: sender, at: .milliseconds(3))
        #expect(unpadded == nil, "an unpadded resolve gets nothing: its answer could be larger")
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
