import MeshTransport
import MeshplayCore

/// What every socket driver does between its socket and an ``EndpointCore``, whatever carries
/// the datagrams (``UDPDriver`` on a SwiftNIO event loop, ``POSIXUDPDriver`` on its own thread):
/// hands datagrams to the endpoint, every endpoint event to the core at once (so a core can
/// answer in the receive path), carries out the links the core asks for and passes its events
/// on. The datagrams to write collect in ``linkOutput`` until the driver writes them.
///
/// A value confined to the driver's one thread or loop: the thread driver keeps it in a local
/// variable, so no access to it is checked at run time. A driver whose commands may arrive
/// while it runs (from the core's own event handler) must not call it again until it returns.
///
/// Inlinable, like the thread driver's loop: specialised for the concrete core in the module that
/// starts the driver, so its generic code looks up no type metadata per datagram.
@usableFromInline
struct CoreRunner<Core: EndpointCore> where Core.Address == UDPAddress {
    /// Called with what the core reported, in order.
    @usableFromInline typealias EventHandler = @Sendable (_ events: [Core.Event]) -> Void

    @usableFromInline var endpoint: MeshEndpoint<UDPAddress>
    @usableFromInline var core: Core
    /// What the endpoint left: its datagrams wait here for the driver's write.
    @usableFromInline var linkOutput = EndpointOutput<UDPAddress>()
    @usableFromInline var coreOutput = CoreOutput<UDPAddress, Core.Event>()
    /// Spare buffers the outputs' events are swapped into while they are handed on.
    @usableFromInline var linkEvents: [LinkEvent<UDPAddress>] = []
    @usableFromInline var coreEvents: [Core.Event] = []
    @usableFromInline let onEvents: EventHandler?
    @usableFromInline var memoryRelease = MemoryRelease()

    @inlinable
    init(endpoint: MeshEndpoint<UDPAddress>, core: Core, onEvents: EventHandler?) {
        self.endpoint = endpoint
        self.core = core
        self.onEvents = onEvents
    }

    /// Hands one datagram to the endpoint and what it reports to the core.
    @inlinable
    mutating func receive(_ datagram: [UInt8], from address: UDPAddress, at now: Timestamp) {
        endpoint.receive(datagram, from: address, at: now, into: &linkOutput)
        deliver(at: now)
    }

    /// Ticks the endpoint, then the core, and flushes.
    @inlinable
    mutating func tick(at now: Timestamp) {
        memoryRelease.note(links: endpoint.stateCount.links, at: now)
        endpoint.tick(at: now, into: &linkOutput)
        deliver(at: now)
        core.tick(endpoint: &endpoint, at: now, into: &coreOutput)
        carryOutCore(at: now)
        flush(at: now)
    }

    /// Runs `body` with the core and carries out what it leaves (the caller flushes).
    @inlinable
    mutating func perform<Result>(
        at now: Timestamp,
        _ body: (inout Core, inout MeshEndpoint<UDPAddress>, Timestamp, inout CoreOutput<UDPAddress, Core.Event>) -> Result
    ) -> Result {
        let result = body(&core, &endpoint, now, &coreOutput)
        carryOutCore(at: now)
        deliver(at: now)
        return result
    }

    /// Hands every endpoint event to the core and carries out what it asks, until nothing is left
    /// (closing a link reports its loss, which the core hears at once).
    @inlinable
    mutating func deliver(at now: Timestamp) {
        while !linkOutput.events.isEmpty {
            // Swapped with a spare buffer, not copied: no allocation per datagram.
            swap(&linkEvents, &linkOutput.events)
            for event in linkEvents { core.receive(event, endpoint: &endpoint, at: now, into: &coreOutput) }
            linkEvents.removeAll(keepingCapacity: true)
            carryOutCore(at: now)
        }
    }

    /// Carries out what the core left in its output (once per core call, not per event: in
    /// generic code every look at the output costs a metadata lookup).
    @inlinable
    mutating func carryOutCore(at now: Timestamp) {
        if coreOutput.hasEndpointRequests {
            endpoint.carryOut(coreOutput, at: now, into: &linkOutput)
            coreOutput.connects.removeAll(keepingCapacity: true)
            coreOutput.disconnects.removeAll(keepingCapacity: true)
            coreOutput.punches.removeAll(keepingCapacity: true)
        }
        guard !coreOutput.events.isEmpty else { return }
        swap(&coreEvents, &coreOutput.events)
        onEvents?(coreEvents)
        coreEvents.removeAll(keepingCapacity: true)
    }

    /// Delivers what is left and packs everything queued into datagrams (in ``linkOutput``).
    @inlinable
    mutating func flush(at now: Timestamp) {
        deliver(at: now)
        endpoint.flush(at: now, into: &linkOutput)
        deliver(at: now)
    }
}
