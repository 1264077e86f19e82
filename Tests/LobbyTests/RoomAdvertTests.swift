import Lobby
import MeshTransport
import MeshplayCore
import Testing

/// The public advert a room puts in its LAN announcement: round trip, bounds, hostile bytes,
/// and its host's signature (version 2): forged, re-keyed and version-1 adverts are dropped.
@Suite struct RoomAdvertTests {
    static func identity(_ seed: UInt64) -> NodeIdentity {
        var entropy = SeededEntropy(seed: seed)
        return NodeIdentity(entropy: &entropy)
    }

    static let host = identity(1)
    static let advert = RoomAdvert(roomName: "arena", game: GameIdentity(id: "snake", version: 3), map: "Open Field",
                                   memberCount: 2, playerCap: 4, locked: true, isRunning: false, host: host.peerID)

    @Test func roundTrips() {
        #expect(RoomAdvert(decoding: Self.advert.encoded(signedBy: Self.host)) == Self.advert)
        var running = Self.advert
        running.isRunning = true
        running.locked = false
        #expect(RoomAdvert(decoding: running.encoded(signedBy: Self.host)) == running)
    }

    @Test func largestAdvertFitsItsBoundAndTheLANDetails() {
        let long = String(repeating: "é", count: 100)
        let advert = RoomAdvert(roomName: long, game: GameIdentity(id: String(repeating: "g", count: 99), version: .max),
                                map: long, memberCount: 99, playerCap: 99, locked: true, isRunning: true, host: Self.host.peerID)
        let bytes = advert.encoded(signedBy: Self.host)
        #expect(bytes.count <= RoomAdvert.maxEncodedBytes)
        #expect(RoomAdvert.maxEncodedBytes <= 256, "a LAN announcement carries at most 256 bytes of details")
        #expect(RoomAdvert(decoding: bytes) == advert)
        #expect(advert.memberCount == PlayerSlot.capacity)
    }

    @Test func malformedAdvertsAreRefused() {
        let bytes = Self.advert.encoded(signedBy: Self.host)
        #expect(RoomAdvert(decoding: []) == nil)
        #expect(RoomAdvert(decoding: [3] + bytes.dropFirst()) == nil, "another version")
        #expect(RoomAdvert(decoding: [2, 4] + bytes.dropFirst(2)) == nil, "unknown flag")
        #expect(RoomAdvert(decoding: bytes + [0]) == nil, "trailing byte")
        for cut in 0 ..< bytes.count { #expect(RoomAdvert(decoding: Array(bytes.prefix(cut))) == nil) }
        #expect(RoomAdvert(decoding: [UInt8](repeating: 1, count: 4096)) == nil)
    }

    /// A version-1 advert (no key, no signature) is what an impostor could say for any room: dropped.
    @Test func versionOneAdvertsAreDropped() {
        var writer = ByteWriter(capacity: 64)
        writer.writeUInt8(1)
        writer.writeUInt8(0)
        writer.writeString("arena")
        writer.writeString("snake")
        writer.writeUInt16(1)
        writer.writeString("Open Field")
        writer.writeVarint(1)
        writer.writeVarint(2)
        #expect(RoomAdvert(decoding: writer.bytes) == nil)
        // Even with a key and a valid-looking signature appended.
        let signed = Self.advert.encoded(signedBy: Self.host)
        #expect(RoomAdvert(decoding: [1] + signed.dropFirst()) == nil)
    }

    /// Any changed byte breaks the host's signature; a swapped key breaks it too.
    @Test func forgedAdvertsAreDropped() {
        let bytes = Self.advert.encoded(signedBy: Self.host)
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(RoomAdvert(decoding: changed) == nil, "byte \(index) changed")
        }
        // The impostor's key in place of the host's (to claim the host's room id) with the host's signature.
        let impostor = Self.identity(2)
        let keyStart = bytes.count - 64 - 32
        var swapped = bytes
        swapped.replaceSubrange(keyStart ..< keyStart + 32, with: impostor.publicKey.rawRepresentation)
        #expect(RoomAdvert(decoding: swapped) == nil)
    }

    /// The id is the signing key's: an impostor who re-signs the host's advert gets its own id, never the host's.
    @Test func theRoomIDIsBoundToTheSigningKey() throws {
        let impostor = Self.identity(2)
        let resigned = try #require(RoomAdvert(decoding: Self.advert.encoded(signedBy: impostor)))
        #expect(resigned.host == impostor.peerID)
        #expect(resigned.roomID == RoomID(host: impostor.peerID))
        #expect(resigned.roomID != Self.advert.roomID)
        #expect(Self.advert.roomID.text.count == RoomID.length)
    }

    @Test func namesFromTheWireAreSanitised() throws {
        var dirty = Self.advert
        dirty.roomName = "\u{1B}[31mred\u{202E}"
        dirty.map = "m\u{07}ap"
        let advert = try #require(RoomAdvert(decoding: dirty.encoded(signedBy: Self.host)))
        #expect(advert.roomName == "red")
        #expect(advert.map == "map")
    }

    @Test func roomIDsAreEightBase32CharactersAndParse() {
        let id = RoomID(host: Self.host.peerID)
        #expect(id.text.allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
        #expect(RoomID(id.text.uppercased()) == id)
        #expect(RoomID("abc") == nil && RoomID("abcdefg1") == nil)
        let target = RoomTarget(parsing: "duo#\(id)")
        #expect(target.name == "duo" && target.id == id)
        #expect(RoomTarget(parsing: "#\(id)") == RoomTarget(name: nil, id: id))
        #expect(RoomTarget(parsing: "room #1") == RoomTarget(name: "room #1", id: nil))
    }
}
