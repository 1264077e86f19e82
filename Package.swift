// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Meshplay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "meshplay", targets: ["meshplay"]),
        // Test-only: the adversary that attacks a meshplay binary on loopback (scripts/hostile-peer).
        .executable(name: "hostile-peer", targets: ["HostilePeer"]),
        // Test-only: one transport measurement with a fixed amount of work, for callgrind (scripts/profile-transport).
        .executable(name: "transport-profile", targets: ["TransportProfile"]),
        .library(name: "MeshplayCore", targets: ["MeshplayCore"]),
        .library(name: "Snake", targets: ["Snake"]),
        .library(name: "Blast", targets: ["Blast"]),
        .library(name: "Replay", targets: ["Replay"]),
        .library(name: "Attestation", targets: ["Attestation"]),
        .library(name: "MeshTransport", targets: ["MeshTransport"]),
        .library(name: "MeshTransportNIO", targets: ["MeshTransportNIO"]),
        .library(name: "MeshTransportFuzzing", targets: ["MeshTransportFuzzing"]),
        .library(name: "Bots", targets: ["Bots"]),
        .library(name: "Lockstep", targets: ["Lockstep"]),
        .library(name: "Lobby", targets: ["Lobby"]),
        .library(name: "Netplay", targets: ["Netplay"]),
        .library(name: "NetplayNIO", targets: ["NetplayNIO"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "ReplayRecording", targets: ["ReplayRecording"]),
        .library(name: "TerminalUI", targets: ["TerminalUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "MeshplayCore"),
        .target(name: "Snake", dependencies: ["MeshplayCore"], path: "Games/Snake"),
        .target(name: "Blast", dependencies: ["MeshplayCore"], path: "Games/Blast", exclude: ["README.md"]),
        // Signed checkpoints: the statement a player signs, the input hash chain, the signer/checker.
        .target(
            name: "Attestation",
            dependencies: ["MeshplayCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "Replay", dependencies: ["MeshplayCore", "Attestation"]),
        // Netplay's matches recorded into replay files (Replay's writers behind Netplay's recorder protocol).
        .target(name: "ReplayRecording", dependencies: ["MeshplayCore", "Attestation", "Lockstep", "Lobby", "Netplay", "Replay"]),
        // Whole matches in one process: bots on every seat (LocalMatch), or full nodes over the simulated network.
        .target(name: "Simulation", dependencies: ["MeshplayCore", "Attestation", "MeshTransport", "Lockstep", "Lobby", "Netplay", "Replay", "ReplayRecording", "Bots"]),
        // Bot behaviour only: plans, the pilot that follows them, brain wiring, chat lines.
        .target(name: "Bots", dependencies: ["MeshplayCore", "Lobby", "Netplay"]),
        .target(name: "Lockstep", dependencies: ["MeshplayCore", "Attestation"], exclude: ["SimFigures.md"]),
        .target(
            name: "Lobby",
            dependencies: [
                "MeshplayCore", "MeshTransport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["RoomProtocol.md"]
        ),
        // One player's node (mesh + room + lockstep + recording), sans-I/O: what people, bots and the simulator run.
        .target(
            name: "Netplay",
            dependencies: [
                "MeshplayCore", "MeshTransport", "Lockstep", "Lobby", "Attestation", "Replay",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Netplay over real UDP: nodes on sockets, the lobby's room search and probe, the client's network service.
        .target(
            name: "NetplayNIO",
            dependencies: [
                "MeshplayCore", "MeshTransport", "MeshTransportNIO", "Lobby", "Netplay", "Bots", "ReplayRecording",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The curses binding; needs libncurses-dev (ncursesw) on the build machine.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // The terminal client's screens; it reaches the engine only through Netplay's NetplayService.
        .target(name: "TerminalUI", dependencies: ["CNCurses", "MeshplayCore", "Replay", "MeshTransport", "Lobby", "Netplay"]),
        .target(
            name: "MeshTransport",
            dependencies: [
                "MeshplayCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            exclude: ["PacketFormat.md", "Mesh/MeshProtocol.md"]
        ),
        // The adversary of issue 18: a stranger's client written from the wire docs, over the project's sealed endpoint.
        .executableTarget(
            name: "HostilePeer",
            dependencies: ["MeshplayCore", "MeshTransport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The fuzz harnesses (driven by FuzzTesting/ and by the FailCases unit test), kept out of the shipped library.
        .target(name: "MeshTransportFuzzing", dependencies: ["MeshTransport", "MeshplayCore"]),
        // Vector datagram reads and writes (recvmmsg, sendmmsg), which the Glibc module does not export.
        .target(name: "CMeshUDP"),
        // Sockets for the sans-I/O cores: the UDP drivers (on a SwiftNIO event loop, or on a thread of
        // their own), LAN discovery, the rendezvous client and server, the clock.
        .target(
            name: "MeshTransportNIO",
            dependencies: [
                "MeshTransport", "MeshplayCore", "CMeshUDP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // `meshplay bench transport`'s measurements, shared with transport-profile.
        .target(
            name: "TransportBench",
            dependencies: [
                "MeshTransport", "MeshTransportNIO", "MeshplayCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Counts instructions per round trip and per message under callgrind (scripts/profile-transport).
        .executableTarget(name: "TransportProfile", dependencies: ["TransportBench", .product(name: "NIOPosix", package: "swift-nio")]),
        .executableTarget(
            name: "meshplay",
            dependencies: [
                "MeshplayCore", "Snake", "Blast", "Replay", "MeshTransport", "MeshTransportNIO", "Lobby", "Netplay", "NetplayNIO", "Bots",
                "ReplayRecording", "Simulation", "TerminalUI", "TransportBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "MeshplayCoreTests", dependencies: ["MeshplayCore"]),
        .testTarget(name: "SnakeTests", dependencies: ["Snake", "MeshplayCore", "MeshplayTestSupport"]),
        .testTarget(name: "BlastTests", dependencies: ["Blast", "MeshplayCore", "MeshplayTestSupport"]),
        .testTarget(
            name: "ReplayTests",
            dependencies: ["Replay", "Snake", "MeshplayCore", "Attestation", "MeshplayTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Replays committed under Golden/ that today's rules must re-simulate exactly (Golden/README.md).
        .testTarget(name: "GoldenReplayTests", dependencies: ["Replay", "Snake", "Blast", "MeshplayCore"], exclude: ["Golden", "FormatVersion1"]),
        // Starting programs from tests with deadlines and no descriptor leaks (see ChildProcess).
        .target(name: "MeshplayTestSupport", path: "Tests/MeshplayTestSupport"),
        .testTarget(name: "MeshplayCLITests", dependencies: ["meshplay", "MeshplayCore", "Replay", "Snake", "Simulation", "MeshplayTestSupport"]),
        .testTarget(
            name: "MeshGameTests",
            dependencies: ["Bots", "Lockstep", "Lobby", "MeshTransport", "Netplay", "Replay", "Simulation", "Snake", "MeshplayCore", "MeshplayTestSupport"]
        ),
        .testTarget(name: "LockstepTests", dependencies: ["Lockstep", "MeshplayCore", "MeshplayTestSupport"]),
        .testTarget(
            name: "NetplayTests",
            dependencies: ["Netplay", "Bots", "Lobby", "MeshTransport", "MeshplayCore", "Replay", "ReplayRecording", "Snake", "Attestation", "Lockstep", "MeshplayTestSupport"]
        ),
        .testTarget(name: "LobbyTests", dependencies: ["Lobby", "MeshTransport", "Lockstep", "MeshplayCore", "MeshplayTestSupport"]),
        .testTarget(
            name: "MeshTransportTests",
            dependencies: ["MeshTransport", "MeshTransportFuzzing", "MeshplayCore", "MeshplayTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["FailCases"]),
        .testTarget(
            name: "MeshTransportNIOTests",
            dependencies: [
                "MeshTransport", "MeshTransportNIO", "MeshplayCore", "MeshplayTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The client's screens over the simulated network in virtual time (no sockets), plus the
        // tmux tests that drive the built binary over real UDP.
        .testTarget(
            name: "TerminalUITests",
            dependencies: [
                "TerminalUI", "meshplay", "MeshplayCore", "Snake", "Blast", "Replay", "Bots", "Lobby", "MeshTransport", "Netplay", "Simulation",
                "MeshplayTestSupport",
            ]
        ),
        // Netplay over real UDP sockets on loopback: room search, probes, bot nodes, a client's local room.
        .testTarget(
            name: "NetplayNIOTests",
            dependencies: [
                "NetplayNIO", "Netplay", "Lobby", "MeshTransport", "MeshTransportNIO", "MeshplayCore", "Snake", "Blast", "Bots", "Replay",
                "TerminalUI", "MeshplayTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
