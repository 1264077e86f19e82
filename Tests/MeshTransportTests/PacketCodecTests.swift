import MeshplayCore
import Testing
@testable import MeshTransport

@Suite struct PacketCodecTests {
    @Test func headerRoundTripsAndIsFourteenBytes() throws {
        let header = PacketHeader(type: .data, session: 0xDEAD_BEEF, sequence: 0x0102_0304_0506_0708)
        var bytes: [UInt8] = []
        header.write(to: &bytes)
        #expect(bytes.count == 14)
        bytes += [UInt8](repeating: 0, count: 16)
        #expect(try PacketHeader(parsing: bytes) == header)
        #expect(PacketHeader.overhead == 30)
        #expect(PacketHeader.maxDatagram <= 1232)
    }

    @Test func headerRefusesBadVersionTypeAndLengths() {
        var good: [UInt8] = []
        PacketHeader(type: .hello, session: 0, sequence: 1).write(to: &good)
        good += [UInt8](repeating: 0, count: 16)
        #expect(good[0] == 2, "version 2: signed membership")
        var versionOne = good; versionOne[0] = 1
        var badVersion = good; badVersion[0] = 3
        var badType = good; badType[1] = 99
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: versionOne) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: badVersion) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: badType) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: Array(good.prefix(29))) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: [UInt8](repeating: 1, count: 1231)) }
    }

    @Test func framesRoundTrip() throws {
        var encoder = FrameEncoder(ack: AckBlock(largest: 300, bitfield: 0x8000_0001))
        encoder.ping()
        encoder.unreliable(channel: 3, payload: [1, 2, 3])
        encoder.reliable(channel: 7, sequence: 70000, first: true, last: false, payload: [9, 9][...])
        encoder.close()
        let (ack, frames) = try FrameDecoder.decodeAll(encoder.writer.bytes)
        #expect(ack == AckBlock(largest: 300, bitfield: 0x8000_0001))
        #expect(frames == [.ping, .unreliable(channel: 3, payload: [1, 2, 3]),
                           .reliable(channel: 7, sequence: 70000, first: true, last: false, payload: [9, 9]), .close])
        #expect(ack?.acknowledges(300) == true)
        #expect(ack?.acknowledges(299) == true)
        #expect(ack?.acknowledges(268) == true)
        #expect(ack?.acknowledges(298) == false)
        #expect(ack?.acknowledges(301) == false)
    }

    @Test func framesRefuseGarbage() {
        #expect(throws: DecodingError.self) { try FrameDecoder.decodeAll([]) }
        #expect(throws: DecodingError.self) { try FrameDecoder.decodeAll([4]) }
        #expect(throws: DecodingError.self) { try FrameDecoder.decodeAll([0, 0x77]) }
        #expect(throws: DecodingError.self) { try FrameDecoder.decodeAll([0, 0x01, 1, 5, 1, 2]) }
        #expect(throws: DecodingError.self) { try FrameDecoder.decodeAll([1, 0x80]) }
    }

    @Test func everyHandshakeReplyIsSmallerThanItsRequest() {
        let hello = PacketHeader.overhead + HandshakeMessage.plaintextSize(of: .hello)!
        let cookie = PacketHeader.overhead + HandshakeMessage.plaintextSize(of: .cookie)!
        let initiation = PacketHeader.overhead + HandshakeMessage.plaintextSize(of: .initiation)!
        let response = PacketHeader.overhead + HandshakeMessage.plaintextSize(of: .response)!
        #expect(cookie < hello)
        #expect(response < initiation)
        #expect(cookie < initiation)
    }

    @Test func handshakeMessagesRoundTrip() throws {
        let initiation = HandshakeMessage.initiation(.init(
            cookie: Array(repeating: 1, count: 16), helloNonce: 42, initiatorSession: 7,
            signingKey: Array(repeating: 2, count: 32), ephemeralKey: Array(repeating: 3, count: 32), signature: Array(repeating: 4, count: 64)))
        #expect(try HandshakeMessage(type: .initiation, plaintext: initiation.encoded()) == initiation)
        let cookie = HandshakeMessage.cookie(helloNonce: 9, cookie: Array(repeating: 5, count: 16))
        #expect(try HandshakeMessage(type: .cookie, plaintext: cookie.encoded()) == cookie)
        #expect(throws: (any Error).self) { try HandshakeMessage(type: .hello, plaintext: [1] + Array(repeating: 0, count: 39)) }
        #expect(throws: (any Error).self) { try HandshakeMessage(type: .response, plaintext: [1, 2, 3]) }
    }

    @Test func replayWindowRefusesDuplicatesAndAncientSequences() {
        var window = ReplayWindow()
        #expect(!window.isFresh(0))
        for sequence: UInt64 in [5, 3, 4, 100, 2000, 2001] {
            #expect(window.isFresh(sequence))
            window.record(sequence)
            #expect(!window.isFresh(sequence))
        }
        #expect(window.isFresh(1999))
        #expect(!window.isFresh(3))  // older than the window now
        window.record(10_000)
        #expect(!window.isFresh(2001))
        #expect(window.isFresh(9_999))
        #expect(!window.isFresh(10_000 - ReplayWindow.width))
    }
}
