#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MeshplayCore

/// Reads the monotonic clock (never jumps with wall-clock changes), and the CPU time
/// the process has used, for the drawing-cost figures.
enum MonotonicClock {
    static func now() -> Timestamp { Timestamp(nanoseconds: read(CLOCK_MONOTONIC)) }

    /// CPU time used by this thread, in nanoseconds.
    static func threadCPUTime() -> UInt64 { read(CLOCK_THREAD_CPUTIME_ID) }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var value = timespec()
        clock_gettime(clock, &value)
        return UInt64(value.tv_sec) * 1_000_000_000 + UInt64(value.tv_nsec)
    }
}
