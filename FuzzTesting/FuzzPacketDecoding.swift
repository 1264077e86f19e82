// libFuzzer entry point for MeshTransport's packet decoding and handshake parsing.
// Built by build.sh together with the decoding sources (no SwiftPM, no crypto).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPacketDecoding(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    PacketFuzzing.exercise(Array(UnsafeBufferPointer(start: start, count: count)))
    return 0
}
