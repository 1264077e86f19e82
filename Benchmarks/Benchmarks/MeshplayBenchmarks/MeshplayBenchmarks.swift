import Benchmark
import MeshplayCore

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(3))

    Benchmark("Checksum of 1 KiB state") { benchmark in
        let bytes = [UInt8](repeating: 0x5A, count: 1024)
        for _ in benchmark.scaledIterations {
            blackHole(StateHasher.checksum(of: bytes))
        }
    }
}
