import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import Testing

/// Two hosts make rooms with one name (the "impostor" of issue 18): a join by the bare name is
/// refused naming both ids, `NAME#ID` and `#ID` join exactly the room meant, and the lobby lists two rows.
@Suite("Rooms of the same name are told apart by id")
struct SameNameRoomsTests {
    /// Alice hosts "duo"; Mallory, on the same lobby mesh, hosts another "duo". Joiners are given
    /// both addresses (two `--peer`s, or a resolver's answer): on the open lobby nobody learns a
    /// stranger's address from another stranger.
    static func twoRooms(seed: UInt64) -> (world: NodeWorld, real: RoomID, impostor: RoomID) {
        var world = NodeWorld(seed: seed)
        world.add(name: "alice")
        world.command(0, .createRoom(NodeWorld.settings(), password: nil, playerName: "alice", minimumPlayers: 3))
        let mallory = world.add(via: 0, name: "mallory")
        world.driver.withCore(world.addresses[mallory]) { node, _, _, output in node.joinMesh(into: &output) }
        world.command(mallory, .createRoom(NodeWorld.settings(), password: nil, playerName: "mallory", minimumPlayers: 3))
        world.run(for: .seconds(2))
        return (world, RoomID(host: world.status(0).peerID), RoomID(host: world.status(mallory).peerID))
    }

    static func failures(_ events: [NodeEvent]) -> [JoinFailure] {
        events.compactMap { if case .joinFailed(let failure) = $0 { failure } else { nil } }
    }

    @Test func aJoinByABareNameWithTwoMatchesFailsNamingBothIDs() throws {
        var (world, real, impostor) = Self.twoRooms(seed: 41)
        #expect(real != impostor)
        let joiner = world.add(via: 0, alsoVia: [1], name: "tess")
        world.command(joiner, .joinRoom("duo", password: nil, playerName: "tess", timeout: .seconds(10)))
        try #require(world.run(for: .seconds(12)) { !Self.failures($0.events[joiner]).isEmpty })
        let failure = try #require(Self.failures(world.events[joiner]).first)
        #expect(failure == .ambiguous(room: "duo", ids: [real, impostor].sorted()))
        #expect(failure.description.contains("duo#\(real)") && failure.description.contains("duo#\(impostor)"))
        #expect(failure.description.contains("--room duo#"))
        #expect(world.status(joiner).room == nil, "joined neither")
        #expect(world.status(0).room?.members.count == 1 && world.status(1).room?.members.count == 1)
    }

    @Test(arguments: [false, true])
    func aJoinNamingTheIDJoinsThatRoom(impostorsRoom: Bool) throws {
        var (world, real, impostor) = Self.twoRooms(seed: impostorsRoom ? 43 : 42)
        let (wanted, host) = impostorsRoom ? (impostor, 1) : (real, 0)
        let joiner = world.add(via: 0, alsoVia: [1], name: "tess")
        world.command(joiner, .joinRoom("duo#\(wanted)", password: nil, playerName: "tess", timeout: .seconds(10)))
        let idAlone = world.add(via: 0, alsoVia: [1], name: "ida")
        world.command(idAlone, .joinRoom("#\(wanted)", password: nil, playerName: "ida", timeout: .seconds(10)))
        try #require(world.run(for: .seconds(10)) { $0.status(joiner).room != nil && $0.status(idAlone).room != nil })
        let hostPeer = world.status(host).peerID
        for node in [joiner, idAlone] {
            let members = try #require(world.status(node).room?.members.map(\.member.peer))
            #expect(members.contains(hostPeer), "joined the room with id \(wanted)")
        }
        #expect(world.status(host).room?.members.count == 3)
        #expect(world.status(1 - host).room?.members.count == 1, "the other room of that name got nobody")
    }

    @Test func theLobbyListsTwoRoomsOfOneNameAsTwoRowsWithTheirIDs() throws {
        let alice = RoomDirectoryTests.identity("alice")
        let mallory = RoomDirectoryTests.identity("mallory")
        let heard: [RoomDirectory.Heard] = [
            .init(address: "127.0.0.1:4000", details: RoomDirectoryTests.advert("duo", host: "alice"), source: "LAN"),
            .init(address: "127.0.0.1:4001", details: RoomDirectoryTests.advert("duo", host: "mallory"), source: "LAN"),
        ]
        let rooms = RoomDirectory(heard: heard, sources: []).rooms
        #expect(rooms.count == 2)
        #expect(Set(rooms.compactMap(\.roomID)) == [RoomID(host: alice.peerID), RoomID(host: mallory.peerID)])
        #expect(Set(rooms.map(\.title)) == ["duo #\(RoomID(host: alice.peerID))", "duo #\(RoomID(host: mallory.peerID))"])
        #expect(Set(rooms.compactMap(\.joinTarget)) == ["duo#\(RoomID(host: alice.peerID))", "duo#\(RoomID(host: mallory.peerID))"])
        // Alice's advert heard again at another address (replayed there) is still one room.
        let replayed = heard + [.init(address: "192.0.2.9:4000", details: RoomDirectoryTests.advert("duo", host: "alice"), source: "LAN")]
        #expect(RoomDirectory(heard: replayed, sources: []).rooms.count == 2)
    }
}
