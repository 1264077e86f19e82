import Dispatch
import NIOPosix
import TransportBench

#if canImport(Glibc)
import Glibc
#endif

/// `transport-profile DRIVER rtt|flood COUNT`: one of `meshplay bench transport`'s measurements
/// with a fixed amount of work, for counting instructions with callgrind (scripts/profile-transport):
/// COUNT reliable 64 B round trips, or COUNT reliable 64 B messages one way. No node spins, so
/// the count follows the work, not the time.
///
/// A synchronous main that waits for the measurement's task: under an `async` main the main
/// thread ends in dispatch_main, and valgrind 3.19 then crashes at the next thread created.
@main
enum TransportProfile {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 3, let driver = BenchDriver(rawValue: arguments[1]), ["rtt", "flood"].contains(arguments[2]),
              let count = Int(arguments[3]), count > 0
        else {
            print("usage: transport-profile posix|nio rtt|flood COUNT")
            exit(64)
        }
        let isRoundTrip = arguments[2] == "rtt"
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            do {
                if isRoundTrip {
                    let rtt = try await BenchTransport.meshPingPong(driver: driver, host: "127.0.0.1", group: group, count: count, reliable: true, spin: false)
                    print("\(count) reliable 64 B round trips, \(rtt.text)")
                } else {
                    try await BenchTransport.flood(driver: driver, host: "127.0.0.1", group: group, size: 64, count: count, spin: false)
                    print("\(count) reliable 64 B messages delivered")
                }
                try await group.shutdownGracefully()
            } catch {
                print("transport-profile: \(error)")
                exit(1)
            }
            finished.signal()
        }
        finished.wait()
    }
}
