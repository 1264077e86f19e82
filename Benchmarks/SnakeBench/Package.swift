// swift-tools-version:6.1
// Release-mode measurements of the snake rules, kept out of the main package so
// `swift test` never builds them. The MeshplayCore and Snake sources are symlinked
// in, so this package needs no dependencies and keeps the real module boundaries.
//
//   cd Benchmarks/SnakeBench && swift run -c release SnakeBench
import PackageDescription

let package = Package(
    name: "SnakeBench",
    targets: [
        .target(name: "MeshplayCore"),
        .target(name: "Snake", dependencies: ["MeshplayCore"]),
        .target(name: "AllocationCounter"),
        .executableTarget(name: "SnakeBench", dependencies: ["MeshplayCore", "Snake", "AllocationCounter"]),
    ],
    swiftLanguageModes: [.v6]
)
