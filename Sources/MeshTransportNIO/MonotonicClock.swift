import MeshplayCore
import NIOCore

extension Timestamp {
    /// Now on the monotonic clock NIO schedules with: what the real-socket shells hand to
    /// the sans-I/O cores as `now`. Cores never call this themselves.
    public static var monotonicNow: Timestamp { Timestamp(nanoseconds: NIODeadline.now().uptimeNanoseconds) }
}
