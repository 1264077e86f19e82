extension ReplayWriteQueue {
    /// How many bytes may wait for the writer thread before recording stops.
    ///
    /// The bound keeps a stalled disk from growing the process without limit. Reaching it
    /// never blocks the caller and never cuts a record in half: the file whose bytes do
    /// not fit stops recording, the whole records queued before still reach the disk (so
    /// the file is a valid replay, truncated), and the file's `failure` says why.
    public struct Limits: Hashable, Sendable {
        /// Bytes queued for all files together, side files included. Default 8 MiB.
        public var maxPendingBytes: Int
        /// Bytes queued for one replay file. Default 4 MiB, so one runaway file cannot
        /// stop the others on its own.
        public var maxPendingBytesPerFile: Int

        /// Limits with the defaults: 8 MiB in all, 4 MiB per file. A replay of ten
        /// minutes with eight players is about 150 KB, so these mean the disk has
        /// taken nothing for a long time.
        public init(maxPendingBytes: Int = 8 << 20, maxPendingBytesPerFile: Int = 4 << 20) {
            self.maxPendingBytes = maxPendingBytes
            self.maxPendingBytesPerFile = maxPendingBytesPerFile
        }

        /// `bytes` for a person: "8 MiB", "12 KiB" or "300 bytes".
        static func describe(bytes: Int) -> String {
            if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
            if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
            return "\(bytes) bytes"
        }
    }
}
