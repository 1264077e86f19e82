// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package (as in swift-nio) so `swift test` on the
// root never builds them. Run: `swift package --package-path Benchmarks benchmark`.
let package = Package(
    name: "MeshplayBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Meshplay", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "MeshplayBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "MeshplayCore", package: "Meshplay"),
                .product(name: "Snake", package: "Meshplay"),
                .product(name: "Blast", package: "Meshplay"),
                .product(name: "Replay", package: "Meshplay"),
                .product(name: "Netplay", package: "Meshplay"),
                .product(name: "Simulation", package: "Meshplay"),
                .product(name: "TerminalUI", package: "Meshplay"),
            ],
            path: "Benchmarks/MeshplayBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
