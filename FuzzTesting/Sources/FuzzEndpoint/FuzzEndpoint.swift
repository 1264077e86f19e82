import MeshTransportFuzzing

// libFuzzer entry point: the handshake and link state machines with real sealing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEndpoint(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    EndpointFuzzing.exercise(Array(UnsafeBufferPointer(start: start, count: count)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

// SwiftPM links executables with `main` aliased to `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("FuzzEndpoint_main")
public func fuzzEndpointMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { start, size in fuzzEndpoint(start, size) }
}
