import MeshplayCore

/// What an ``EndpointCore`` leaves to its driver after a call: links to open or close
/// (they need the endpoint's own output, which the driver holds) and events for whoever
/// runs the core.
public struct CoreOutput<Address: LinkAddress, Event>: Sendable where Event: Sendable {
    /// Addresses to connect to (``MeshEndpoint/connect(to:at:into:)``).
    public var connects: [Address] = []
    /// Peers to disconnect (``MeshEndpoint/disconnect(_:at:into:)``).
    public var disconnects: [PeerID] = []
    /// Cleartext datagrams for the socket to send as they are: hole punches and relay binds
    /// (``MeshEndpoint/sendCleartext(_:into:)``).
    public var punches: [OutgoingDatagram<Address>] = []
    /// Events, in order.
    public var events: [Event] = []

    /// An empty output.
    public init() {}

    /// Whether there is nothing to carry out.
    @inlinable
    public var isEmpty: Bool { connects.isEmpty && disconnects.isEmpty && punches.isEmpty && events.isEmpty }

    /// Whether the endpoint has something to carry out (connects, disconnects, punches).
    @inlinable
    public var hasEndpointRequests: Bool { !connects.isEmpty || !disconnects.isEmpty || !punches.isEmpty }

    /// Empties every list, keeping storage.
    @inlinable
    public mutating func removeAll() {
        connects.removeAll(keepingCapacity: true)
        disconnects.removeAll(keepingCapacity: true)
        punches.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
    }
}

/// A sans-I/O protocol core that rides on one ``MeshEndpoint``: the mesh node, the lobby's
/// room probe, a player's node.
///
/// A driver owns the endpoint and the core and is the only caller: ``SimulatedDriver`` in
/// virtual time, `UDPDriver` or `POSIXUDPDriver` (MeshTransportNIO) over one real socket. It
/// hands the core every endpoint event with ``receive(_:endpoint:at:into:)``, calls
/// ``tick(endpoint:at:into:)`` every few milliseconds (and by ``nextDeadline``), and carries out what the calls leave in the
/// output: the core queues messages on the endpoint itself; links to open or close and events
/// come back. A core reads no clock, socket, file or random source of its own, so the same
/// core runs in a simulation and on the internet.
public protocol EndpointCore<Address>: SendableMetatype {
    /// Where the endpoint's datagrams go.
    associatedtype Address: LinkAddress
    /// What the core reports to whoever runs it.
    associatedtype Event: Sendable

    /// Handles one event of the endpoint.
    mutating func receive(
        _ event: LinkEvent<Address>, endpoint: inout MeshEndpoint<Address>, at now: Timestamp,
        into output: inout CoreOutput<Address, Event>)

    /// Drives the core's timers.
    mutating func tick(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, Event>)

    /// The earliest instant ``tick(endpoint:at:into:)`` has work; nil when the driver's regular
    /// cadence is enough.
    var nextDeadline: Timestamp? { get }
}

extension EndpointCore {
    public var nextDeadline: Timestamp? { nil }
}

extension MeshNode: EndpointCore {
    public typealias Event = MeshEvent

    public mutating func receive(
        _ event: LinkEvent<Address>, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout MeshOutput<Address>
    ) {
        handle(event, endpoint: &endpoint, at: now, into: &output)
    }
}

extension MeshEndpoint {
    /// Carries out a core's link requests on this endpoint: connects first, then disconnects.
    public mutating func carryOut<Event>(
        _ requests: CoreOutput<Address, Event>, at now: Timestamp, into output: inout EndpointOutput<Address>
    ) {
        for address in requests.connects { connect(to: address, at: now, into: &output) }
        for peer in requests.disconnects { disconnect(peer, at: now, into: &output) }
        for datagram in requests.punches { sendCleartext(datagram, into: &output) }
    }
}
