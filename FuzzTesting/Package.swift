// swift-tools-version:6.1
// The stateful endpoint fuzzer: two MeshEndpoints (real crypto) driven by a fuzzer-chosen script.
// Build and run with ./build-endpoint.sh and ./run-endpoint.sh; it is not part of the root package,
// so `swift test` never builds it.
import PackageDescription

let package = Package(
    name: "MeshplayFuzzTesting",
    dependencies: [.package(name: "Meshplay", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzEndpoint",
            dependencies: [.product(name: "MeshTransportFuzzing", package: "Meshplay")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
