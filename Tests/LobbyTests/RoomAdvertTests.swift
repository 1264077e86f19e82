import Lobby
import MeshplayCore
import Testing

/// The public advert a room puts in its LAN announcement: round trip, bounds, hostile bytes.
@Suite struct RoomAdvertTests {
    static let advert = RoomAdvert(roomName: "arena", game: GameIdentity(id: "snake", version: 3), map: "Open Field",
                                   memberCount: 2, playerCap: 4, locked: true, isRunning: false)

    @Test func roundTrips() {
        #expect(RoomAdvert(decoding: Self.advert.encoded) == Self.advert)
        var running = Self.advert
        running.isRunning = true
        running.locked = false
        #expect(RoomAdvert(decoding: running.encoded) == running)
    }

    @Test func largestAdvertFitsItsBound() {
        let long = String(repeating: "é", count: 100)
        let advert = RoomAdvert(roomName: long, game: GameIdentity(id: String(repeating: "g", count: 99), version: .max),
                                map: long, memberCount: 99, playerCap: 99, locked: true, isRunning: true)
        #expect(advert.encoded.count <= RoomAdvert.maxEncodedBytes)
        #expect(RoomAdvert(decoding: advert.encoded) == advert)
        #expect(advert.memberCount == PlayerSlot.capacity)
    }

    @Test func malformedAdvertsAreRefused() {
        let bytes = Self.advert.encoded
        #expect(RoomAdvert(decoding: []) == nil)
        #expect(RoomAdvert(decoding: [2] + bytes.dropFirst()) == nil, "another version")
        #expect(RoomAdvert(decoding: [1, 4] + bytes.dropFirst(2)) == nil, "unknown flag")
        #expect(RoomAdvert(decoding: bytes + [0]) == nil, "trailing byte")
        for cut in 0 ..< bytes.count { #expect(RoomAdvert(decoding: Array(bytes.prefix(cut))) == nil) }
        #expect(RoomAdvert(decoding: [UInt8](repeating: 1, count: 4096)) == nil)
    }

    @Test func namesFromTheWireAreSanitised() {
        var writer = ByteWriter(capacity: 64)
        writer.writeUInt8(1)
        writer.writeUInt8(0)
        writer.writeString("\u{1B}[31mred\u{202E}")
        writer.writeString("snake")
        writer.writeUInt16(1)
        writer.writeString("m\u{07}ap")
        writer.writeVarint(1)
        writer.writeVarint(2)
        let advert = RoomAdvert(decoding: writer.bytes)
        #expect(advert?.roomName == "red")
        #expect(advert?.map == "map")
    }
}
