import MeshplayCore
import Testing
@testable import MeshTransport

@Suite struct PacketCodecTests {
    @Test func dataHeadersAreSevenBytesAndNineWhileManyPacketsAreUnacknowledged() throws {
        let short = PacketHeader(dataTo: 0xDEAD_BEEF, number: 0x0102_0304_0506_0708, largestAcknowledged: 0x0102_0304_0506_0000)
        var bytes: [UInt8] = []
        short.write(to: &bytes)
        #expect(bytes == [0x4A, 0xEF, 0xBE, 0xAD, 0xDE, 0x08, 0x07])
        bytes += [UInt8](repeating: 0, count: 16)
        let parsed = try PacketHeader(parsing: bytes)
        #expect(parsed.type == .data && parsed.session == 0xDEAD_BEEF && parsed.sequence == 0x0708 && parsed.size == 7)
        #expect(parsed.packetNumber(expected: 0x0102_0304_0506_0001) == 0x0102_0304_0506_0708)

        let long = PacketHeader(dataTo: 7, number: 40_000, largestAcknowledged: 40_000 - 16_384)
        bytes = []
        long.write(to: &bytes)
        #expect(bytes.count == 9 && bytes[0] == 0x4B)
        bytes += [UInt8](repeating: 0, count: 16)
        #expect(try PacketHeader(parsing: bytes).packetNumber(expected: 30_000) == 40_000)

        #expect(PacketHeader.overhead == 23, "a data packet: 7-byte header and 16-byte tag")
        #expect(PacketHeader.smallOverhead == 15, "a small data packet: 7-byte header and 8-byte tag")
        #expect(PacketHeader.maxOverhead <= 30, "the issue's bound holds for every packet")
        #expect(PacketHeader.maxDatagram <= 1232)
    }

    /// RFC 9000, appendix A.3: the number nearest the expected one, across wraps both ways.
    @Test(arguments: [
        (UInt64(0x9B32), UInt64(0xA82F30EA), UInt64(0xA82F9B32)),  // the RFC's own example
        (0xFFFE, 0x1_0001, 0xFFFE),  // just before a wrap, sent late
        (0x0002, 0xFFFF, 0x1_0002),  // just after a wrap, arriving early
        (0x0001, 0x0001, 0x0001),  // the first packet of a link
        (0x8000, 0x0001, 0x8000),  // half a window ahead of a new link: still ahead
    ])
    func shortPacketNumbersAreMadeWhole(truncated: UInt64, expected: UInt64, whole: UInt64) throws {
        var bytes: [UInt8] = []
        var header = PacketHeader(dataTo: 1, number: truncated, largestAcknowledged: truncated)
        header.write(to: &bytes)
        header = try PacketHeader(parsing: bytes + [UInt8](repeating: 0, count: 16))
        #expect(header.packetNumber(expected: expected) == whole)
    }

    @Test func headerRefusesBadVersionKindAndLengths() {
        var good: [UInt8] = []
        PacketHeader(type: .hello, session: 0, sequence: 1).write(to: &good)
        good += [UInt8](repeating: 0, count: 16)
        #expect(good.count == 29 && good[0] == 0x41, "version 4, kind 1 (hello)")
        var versionTwo = good; versionTwo[0] = 2
        var versionTwoData = good; versionTwoData[0] = 0x21
        var versionThreeData = good; versionThreeData[0] = 0x3A
        var badKind = good; badKind[0] = 0x4F
        var dataKind = good; dataKind[0] = 0x40 | 16 & 0x0F  // the enum's raw value is not a wire kind
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: versionTwo) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: versionTwoData) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: versionThreeData) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: badKind) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: dataKind) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: Array(good.prefix(28))) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: Array(good.prefix(14))) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: [0x4B] + [UInt8](repeating: 1, count: 23)) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: [0x4A] + [UInt8](repeating: 1, count: 21)) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: [0x4D] + [UInt8](repeating: 1, count: 15)) }
        #expect(throws: DecodingError.self) { try PacketHeader(parsing: [UInt8](repeating: 0x4A, count: 1231)) }
        #expect((try? PacketHeader(parsing: [0x4A] + [UInt8](repeating: 1, count: 22)))?.size == 7, "23 bytes: the shortest data packet with a whole tag")
        let shortest = try? PacketHeader(parsing: [0x4C] + [UInt8](repeating: 1, count: 14))
        #expect(shortest?.size == 7 && shortest?.tagBytes == 8, "15 bytes: the shortest data packet")
        #expect((try? PacketHeader(parsing: [0x4D] + [UInt8](repeating: 1, count: 16)))?.tagBytes == 8)
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
        let hello = PacketHeader.maxOverhead + HandshakeMessage.plaintextSize(of: .hello)!
        let cookie = PacketHeader.maxOverhead + HandshakeMessage.plaintextSize(of: .cookie)!
        let initiation = PacketHeader.maxOverhead + HandshakeMessage.plaintextSize(of: .initiation)!
        let response = PacketHeader.maxOverhead + HandshakeMessage.plaintextSize(of: .response)!
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
