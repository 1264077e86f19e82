// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Meshplay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "meshplay", targets: ["meshplay"]),
        .library(name: "MeshplayCore", targets: ["MeshplayCore"]),
        .library(name: "Snake", targets: ["Snake"]),
        .library(name: "Blast", targets: ["Blast"]),
        .library(name: "Replay", targets: ["Replay"]),
        .library(name: "MeshTransport", targets: ["MeshTransport"]),
        .library(name: "Bots", targets: ["Bots"]),
        .library(name: "Lockstep", targets: ["Lockstep"]),
        .library(name: "Lobby", targets: ["Lobby"]),
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
        .target(name: "Replay", dependencies: ["MeshplayCore"]),
        .target(
            name: "Bots",
            dependencies: [
                "MeshplayCore", "Replay", "Lockstep", "MeshTransport", "Lobby",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(name: "Lockstep", dependencies: ["MeshplayCore"], exclude: ["SimFigures.md"]),
        .target(
            name: "Lobby",
            dependencies: [
                "MeshplayCore", "MeshTransport", "Lockstep",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["RoomProtocol.md"]
        ),
        // The curses binding; needs libncurses-dev (ncursesw) on the build machine.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        .target(
            name: "TerminalUI",
            dependencies: [
                "CNCurses", "MeshplayCore", "Replay", "Bots", "MeshTransport", "Lobby",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "MeshTransport",
            dependencies: [
                "MeshplayCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            exclude: ["PacketFormat.md", "Mesh/MeshProtocol.md"]
        ),
        .executableTarget(
            name: "meshplay",
            dependencies: [
                "MeshplayCore", "Snake", "Replay", "MeshTransport", "Bots", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "MeshplayCoreTests", dependencies: ["MeshplayCore"]),
        .testTarget(name: "SnakeTests", dependencies: ["Snake", "MeshplayCore"]),
        .testTarget(name: "BlastTests", dependencies: ["Blast", "MeshplayCore"]),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "Snake", "MeshplayCore"]),
        // Starting programs from tests with deadlines and no descriptor leaks (see ChildProcess).
        .target(name: "MeshplayTestSupport", path: "Tests/MeshplayTestSupport"),
        .testTarget(name: "MeshplayCLITests", dependencies: ["meshplay", "MeshplayCore", "Snake", "Bots", "MeshplayTestSupport"]),
        .testTarget(
            name: "MeshGameTests",
            dependencies: ["Bots", "Lockstep", "MeshTransport", "Replay", "Snake", "MeshplayCore"]
        ),
        .testTarget(name: "LockstepTests", dependencies: ["Lockstep", "MeshplayCore"]),
        .testTarget(name: "LobbyTests", dependencies: ["Lobby", "MeshTransport", "Lockstep", "MeshplayCore"]),
        .testTarget(
            name: "MeshTransportTests",
            dependencies: [
                "MeshTransport", "MeshplayCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            exclude: ["FailCases"]
        ),
        .testTarget(
            name: "TerminalUITests",
            dependencies: [
                "TerminalUI", "meshplay", "MeshplayCore", "Snake", "Replay", "Bots", "Lobby", "MeshTransport", "MeshplayTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
