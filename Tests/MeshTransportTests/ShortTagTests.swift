import Crypto
import MeshplayCore
import Testing
@testable import MeshTransport

/// Packet format 4: a data packet of at most 64 plaintext bytes carries the first 8 bytes of
/// its ChaCha20-Poly1305 tag, and opening it still refuses every change to any byte.
@Suite struct ShortTagTests {
    let sealer = PacketSealer(key: SymmetricKey(data: [UInt8](repeating: 7, count: 32)), domain: PacketSealer.dataDomain)
    let plaintext: [UInt8] = [0, 0x02, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9]

    func shortHeader(number: UInt64 = 300) -> PacketHeader {
        PacketHeader(dataTo: 0xABCD, number: number, largestAcknowledged: number - 1, tagBytes: PacketHeader.shortTagSize)
    }

    @Test func theTagIsShortUpToSixtyFourBytesOfPlaintext() {
        #expect(PacketHeader.tagBytes(forPlaintext: 0) == 8)
        #expect(PacketHeader.tagBytes(forPlaintext: 64) == 8)
        #expect(PacketHeader.tagBytes(forPlaintext: 65) == 16)
        #expect(PacketHeader.tagBytes(forPlaintext: PacketHeader.maxPayload) == 16)
    }

    @Test func aShortTagIsTheStandardTagsFirstEightBytes() throws {
        let header = shortHeader()
        let datagram = sealer.seal(header: header, plaintext: plaintext)
        #expect(datagram.count == 7 + plaintext.count + 8)
        #expect(datagram[0] == 0x4C, "version 4, kind 12: short packet number, short tag")
        // Any ChaCha20-Poly1305 implementation can make this packet: seal, keep 8 bytes of the tag.
        let standard = try ChaChaPoly.seal(plaintext, using: sealer.key, nonce: sealer.nonce(300), authenticating: Array(datagram.prefix(7)))
        #expect(Array(datagram[7...]) == Array(standard.ciphertext) + Array(standard.tag.prefix(8)))

        let parsed = try PacketHeader(parsing: datagram)
        #expect(parsed.tagBytes == 8 && parsed.size == 7)
        var whole = parsed
        whole.sequence = parsed.packetNumber(expected: 300)
        #expect(sealer.open(datagram, header: whole) == plaintext)
    }

    @Test func everyChangedBitIsRefused() throws {
        let datagram = sealer.seal(header: shortHeader(), plaintext: plaintext)
        var opened = 0
        for index in datagram.indices {
            for bit in 0 ..< 8 {
                var changed = datagram
                changed[index] ^= 1 << bit
                // A changed first byte may not even parse; a parsed one must not open.
                guard var header = try? PacketHeader(parsing: changed) else { continue }
                header.sequence = header.packetNumber(expected: 300)
                if sealer.open(changed, header: header) != nil { opened += 1 }
            }
        }
        #expect(opened == 0, "\(opened) changed packets opened")
    }

    @Test func wrongKeysNumbersLengthsAndKindsAreRefused() throws {
        let datagram = sealer.seal(header: shortHeader(), plaintext: plaintext)
        var header = try PacketHeader(parsing: datagram)
        header.sequence = 300
        let otherKey = PacketSealer(key: SymmetricKey(data: [UInt8](repeating: 8, count: 32)), domain: PacketSealer.dataDomain)
        #expect(otherKey.open(datagram, header: header) == nil)
        var otherNumber = header
        otherNumber.sequence = 300 + 65_536  // the same low bits, another whole number
        #expect(sealer.open(datagram, header: otherNumber) == nil)
        let cut = Array(datagram.dropLast())
        if var cutHeader = try? PacketHeader(parsing: cut) {
            cutHeader.sequence = 300
            #expect(sealer.open(cut, header: cutHeader) == nil)
        }
        // Claiming a whole tag: kind 10 with 8 more bytes, which no guess of them opens.
        var asWhole = datagram + [UInt8](repeating: 0, count: 8)
        asWhole[0] = 0x4A
        var wholeHeader = try PacketHeader(parsing: asWhole)
        wholeHeader.sequence = 300
        #expect(wholeHeader.tagBytes == 16)
        #expect(sealer.open(asWhole, header: wholeHeader) == nil)
        // And a whole-tag packet cut to a short one.
        let full = sealer.seal(header: PacketHeader(dataTo: 0xABCD, number: 300, largestAcknowledged: 299), plaintext: plaintext)
        var asShort = Array(full.dropLast(8))
        asShort[0] = 0x4C
        #expect(sealer.open(asShort, header: header) == nil)
    }

    @Test func aLinkSealsSmallPacketsWithTheShortTagAndLargeOnesWithTheWholeTag() {
        var (network, a, b) = connectedPair(seed: 3)
        network.run(for: .milliseconds(200))
        _ = network.takeEvents(b)
        let peerB = network.peerID(b)
        let (small, large) = network.withNode(a) { node, now, output -> ([UInt8], [UInt8]) in
            let before = output.datagrams.count
            #expect(node.sendUnreliable([UInt8](repeating: 1, count: 10), channel: 2, to: peerB) == .queued)
            node.flush(at: now, into: &output)
            #expect(node.sendUnreliable([UInt8](repeating: 2, count: 200), channel: 2, to: peerB) == .queued)
            node.flush(at: now, into: &output)
            let sent = output.datagrams[before...].map(\.bytes)
            return (sent.first ?? [], sent.dropFirst().first ?? [])
        }
        // Flags (and perhaps an ack block), a 2-byte frame header and the 10 bytes: 8 bytes of tag.
        #expect(small.first == 0x4C, "the small packet is of kind 12")
        #expect(small.count <= 7 + 1 + 7 + 2 + 10 + 8)
        #expect(large.first == 0x4A, "the large packet is of kind 10")
        #expect(large.count >= 7 + 1 + 2 + 200 + 16)
        network.run(for: .milliseconds(100))
        let received = network.takeEvents(b).messages(reliable: false).map(\.bytes.count)
        #expect(received == [10, 200])
    }
}
