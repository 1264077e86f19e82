import ArgumentParser
import Foundation
import MeshTransport
import MeshTransportNIO

/// `meshplay resolver`: a rendezvous node where meshes register and newcomers find them.
///
/// It answers only with addresses and never carries game traffic, unless `--relay` makes it
/// also forward the sealed datagrams of pairs that cannot reach each other. It binds all IPv4
/// interfaces by default, because a rendezvous node exists to be reached from other
/// machines; pass `--host 127.0.0.1` to keep it on this machine.
struct ResolverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolver",
        abstract: "Run a rendezvous node: meshes register here, newcomers resolve them (addresses only).")

    // Numbers parse `.unconditional`ly: in `--ticks -5` the "-5" is the value, refused with the
    // option's range by validate(), where ArgumentParser would take it for an option ("Missing value").
    @Option(parsing: .unconditional, help: "UDP port to listen on.")
    var port = 47000

    @Option(help: "Address to bind (0.0.0.0: every IPv4 interface; :: for IPv6).")
    var host = "0.0.0.0"

    @Option(parsing: .unconditional, help: "Seconds a registration lasts unless renewed.")
    var lifetime = 30

    @Flag(help: "Also relay: forward the sealed datagrams of a newcomer and a member that cannot reach each other (a symmetric NAT), within byte budgets.")
    var relay = false

    @Option(name: .customLong("relay-ports"), parsing: .unconditional, help: "With --relay: how many UDP ports the relay binds beside --port (two per relayed pair).")
    var relayPorts = 64

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535, got \(port)") }
        guard lifetime > 0 else { throw ValidationError("--lifetime must be at least 1 second, got \(lifetime)") }
        guard (2...1024).contains(relayPorts) else { throw ValidationError("--relay-ports must be 2-1024, got \(relayPorts)") }
    }

    func run() async throws {
        let stop = SignalWaiter(signals: [SIGINT, SIGTERM])
        let server: RendezvousServer
        do {
            server = try await RendezvousServer.start(
                host: host, port: port, registry: RendezvousRegistry(lifetime: .seconds(Int64(lifetime))), relayPorts: relay ? relayPorts : 0)
        } catch let error as UDPBindError {
            FileHandle.standardError.write(Data("meshplay resolver: \(error)\n".utf8))
            throw ExitCode(1)
        }
        // Unbuffered, so a supervisor reading a pipe sees the line at once.
        FileHandle.standardOutput.write(Data("meshplay resolver listening on \(server.localAddress)\n".utf8))
        if relay {
            FileHandle.standardOutput.write(Data("meshplay resolver relaying on \(server.relayPorts.count) more UDP ports (\(server.relayPorts.count / 2) pairs at once)\n".utf8))
        }
        let started = ContinuousClock.now
        let signal = await stop.wait()
        if relay {
            let bytes = (try? await server.relayedBytes()) ?? 0
            let seconds = max(1, Int((ContinuousClock.now - started).components.seconds))
            FileHandle.standardOutput.write(Data("meshplay resolver relayed \(bytes) bytes in \(seconds) s (\(bytes / seconds) B/s)\n".utf8))
        }
        await server.stop()
        FileHandle.standardOutput.write(Data("meshplay resolver stopped (\(signal == SIGINT ? "SIGINT" : "SIGTERM"))\n".utf8))
    }
}

/// Turns SIGINT/SIGTERM into an awaitable value instead of the default process kill,
/// so the command can close its socket and exit 0.
final class SignalWaiter {
    private let sources: [DispatchSourceSignal]
    private let stream: AsyncStream<Int32>

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.stream = stream
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    /// The first signal that arrives.
    func wait() async -> Int32 {
        for await number in stream {
            for source in sources { source.cancel() }
            return number
        }
        return SIGTERM
    }
}
