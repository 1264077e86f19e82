/// The reliable stream's fixed window, part of the protocol: a sender never has
/// more than this many fragments outstanding, and a receiver never buffers more.
public enum ReliableWindow {
    /// Fragments in flight or buffered per link and direction.
    public static let fragments: UInt64 = 2048
    /// The largest reliable message (64 KiB).
    public static let maxMessageSize = 65536
    /// The largest unreliable datagram payload.
    public static let maxDatagramSize = 1100
}
