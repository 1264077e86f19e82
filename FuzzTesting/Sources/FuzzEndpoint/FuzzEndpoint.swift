import MeshTransport

// libFuzzer entry point: the handshake and link state machines with real sealing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEndpoint(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    EndpointFuzzing.exercise(Array(UnsafeBufferPointer(start: start, count: count)))
    return 0
}
