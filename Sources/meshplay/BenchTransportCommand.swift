import ArgumentParser
import Foundation
import MeshTransport
import MeshplayCore
import NIOPosix
import TransportBench

/// `meshplay bench transport`: two nodes over real loopback UDP.
///
/// Measures, in one run and for each driver: a bare UDP ping-pong in the driver's I/O style
/// (the baseline, no Meshplay protocol), reliable and unreliable ping-pong round trips through
/// the sealed link, and one-way reliable throughput for 64-byte and 1 KiB messages. The
/// thread driver (``POSIXUDPDriver``) is the fast one and gives the headline figures; the
/// SwiftNIO driver's follow.
struct BenchTransportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Measure MeshTransport over loopback UDP against a bare UDP baseline.")

    /// Which measurements to run.
    enum Part: String, ExpressibleByArgument, CaseIterable {
        case all
        /// The reliable 64 B round trip alone (for profiling a round trip).
        case rtt
        /// The reliable 64 B flood alone (for profiling a message).
        case flood
    }

    /// Which drivers to measure.
    enum Drivers: String, ExpressibleByArgument, CaseIterable {
        case both, posix, nio

        var list: [BenchDriver] {
            switch self {
            case .both: [.posix, .nio]
            case .posix: [.posix]
            case .nio: [.nio]
            }
        }
    }

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    // Numbers parse `.unconditional`ly: in `--ticks -5` the "-5" is the value, refused with the
    // option's range by validate(), where ArgumentParser would take it for an option ("Missing value").
    @Option(parsing: .unconditional, help: "Round trips per ping-pong measurement.")
    var pings = 20_000

    @Option(parsing: .unconditional, help: "Seconds per throughput measurement.")
    var seconds = 2.0

    @Option(help: "Host to bind both nodes to (127.0.0.1 or ::1).")
    var host = "127.0.0.1"

    @Option(help: "Drivers to measure: both (the thread driver's figures first), posix or nio.")
    var driver: Drivers = .both

    @Option(help: "Measurements to run: all, rtt (reliable round trips only) or flood (reliable 64 B one way only).")
    var only: Part = .all

    func validate() throws {
        guard (1...10_000_000).contains(pings) else { throw ValidationError("--pings must be 1-10000000, got \(pings)") }
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be more than 0 and at most 3600, got \(seconds)") }
    }

    /// One driver's figures; nil where not measured.
    struct Figures {
        var driver: BenchDriver
        var baseline: BenchTransport.Percentiles?
        var reliable: BenchTransport.Percentiles?
        var unreliable: BenchTransport.Percentiles?
        var small: BenchTransport.Rate?
        var large: BenchTransport.Rate?
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var results: [Figures] = []
        for (index, benchDriver) in driver.list.enumerated() {
            // A second driver gets the headline measurements only, to keep the run short.
            results.append(try await measure(benchDriver, full: index == 0, group: group))
        }
        try await group.shutdownGracefully()
        if json {
            printJSON(results)
        } else {
            printTable(results)
        }
    }

    private func measure(_ benchDriver: BenchDriver, full: Bool, group: MultiThreadedEventLoopGroup) async throws -> Figures {
        let name = benchDriver.rawValue
        let trips = "\(name), \(pings) round trips"
        let flood = "\(name), \(seconds) s"
        var figures = Figures(driver: benchDriver)
        if only == .all {
            figures.baseline = try await BenchStep.run("bare UDP ping-pong, \(trips)", result: \.text) {
                switch benchDriver {
                case .posix: try await BenchTransport.bareThreadPingPong(host: host, count: pings)
                case .nio: try await BenchTransport.bareNIOPingPong(host: host, count: pings, group: group)
                }
            }
        }
        if only != .flood {
            figures.reliable = try await BenchStep.run("reliable 64 B ping-pong, \(trips)", result: \.text) {
                try await BenchTransport.meshPingPong(driver: benchDriver, host: host, group: group, count: pings, reliable: true)
            }
        }
        if only == .all && full {
            figures.unreliable = try await BenchStep.run("unreliable 64 B ping-pong, \(trips)", result: \.text) {
                try await BenchTransport.meshPingPong(driver: benchDriver, host: host, group: group, count: pings, reliable: false)
            }
        }
        if only != .rtt {
            figures.small = try await BenchStep.run("reliable 64 B one way, \(flood)", result: \.text) {
                try await BenchTransport.throughput(driver: benchDriver, host: host, group: group, size: 64, seconds: seconds)
            }
        }
        if only == .all && full {
            figures.large = try await BenchStep.run("reliable 1 KiB one way, \(flood)", result: \.text) {
                try await BenchTransport.throughput(driver: benchDriver, host: host, group: group, size: 1024, seconds: seconds)
            }
        }
        return figures
    }

    /// The first driver's figures at the top level (the names scripts/bench-vs-enet reads), the
    /// second's in an object named after it.
    private func printJSON(_ results: [Figures]) {
        // The same writer as every other `--json` in meshplay: fields in a fixed order.
        func percentiles(_ rtt: BenchTransport.Percentiles) -> String {
            var object = JSONText()
            object.field("p50", int: rtt.p50)
            object.field("p99", int: rtt.p99)
            return object.object
        }
        func fields(_ figures: Figures, into object: inout JSONText) {
            object.field("driver", string: figures.driver.rawValue)
            if let reliable = figures.reliable { object.field("reliableRttMicros", percentiles(reliable)) }
            if let unreliable = figures.unreliable { object.field("unreliableRttMicros", percentiles(unreliable)) }
            if let baseline = figures.baseline { object.field("baselineUdpRttMicros", percentiles(baseline)) }
            if let small = figures.small { object.field("reliableMessagesPerSecond64", int: Int(small.messagesPerSecond.rounded())) }
            if let large = figures.large {
                object.field("reliableMessagesPerSecond1K", int: Int(large.messagesPerSecond.rounded()))
                object.field("reliableMegabytesPerSecond1K", String(format: "%.1f", large.megabytesPerSecond))
            }
        }
        var object = JSONText()
        if let first = results.first { fields(first, into: &object) }
        for other in results.dropFirst() {
            var nested = JSONText()
            fields(other, into: &nested)
            object.field(other.driver.rawValue, nested.object)
        }
        object.field("overheadBytes", int: PacketHeader.overhead)
        object.field("smallPacketOverheadBytes", int: PacketHeader.smallOverhead)
        print(object.object)
    }

    private func printTable(_ results: [Figures]) {
        print("MeshTransport over loopback UDP (\(host)), \(pings) round trips each, \(seconds) s per throughput run")
        for figures in results {
            switch figures.driver {
            case .posix: print("thread driver (POSIXUDPDriver: vector I/O; the pinger spins, the echo, sender and receiver sleep in poll)")
            case .nio: print("SwiftNIO driver (UDPDriver: one event loop per node)")
            }
            let baseline = figures.baseline
            if let baseline {
                print("  bare UDP ping-pong RTT        p50 \(baseline.p50) µs   p99 \(baseline.p99) µs   (baseline)")
            }
            if let reliable = figures.reliable {
                let ratio = baseline.map { String(format: "   (%.2f× baseline)", Double(reliable.p50) / Double(max($0.p50, 1))) } ?? ""
                print("  reliable 64 B ping-pong RTT   p50 \(reliable.p50) µs   p99 \(reliable.p99) µs\(ratio)")
            }
            if let unreliable = figures.unreliable {
                print("  unreliable 64 B ping-pong RTT p50 \(unreliable.p50) µs   p99 \(unreliable.p99) µs")
            }
            if let small = figures.small {
                print("  reliable 64 B one way         \(Int(small.messagesPerSecond)) msg/s   \(String(format: "%.1f", small.megabytesPerSecond)) MB/s")
            }
            if let large = figures.large {
                print("  reliable 1 KiB one way        \(Int(large.messagesPerSecond)) msg/s   \(String(format: "%.1f", large.megabytesPerSecond)) MB/s")
            }
        }
        print("  per-packet overhead           \(PacketHeader.overhead) B (\(PacketHeader.shortDataSize) B header + \(PacketHeader.tagSize) B Poly1305 tag; \(PacketHeader.smallOverhead) B with the \(PacketHeader.shortTagSize)-byte tag of a packet of at most \(PacketHeader.shortTagLimit) plaintext bytes; \(PacketHeader.longDataSize) B header while more than 16,384 packets are unacknowledged); plus 1-15 B flags/ack block and 4-6 B per reliable frame inside the sealed payload")
    }
}
