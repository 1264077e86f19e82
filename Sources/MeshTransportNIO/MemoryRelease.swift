import MeshplayCore

#if os(Linux)
/// glibc's `malloc_trim` (in <malloc.h>, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif

/// Hands freed heap back to the system after a flood of links has gone: glibc keeps freed
/// memory in its arenas, so without this a node that held 200 strangers' reassembly buffers
/// would keep their footprint (resident, unused) after they left.
@usableFromInline
struct MemoryRelease {
    /// Links at their highest since the last release.
    private var peakLinks = 0
    private var lastRelease = Timestamp.zero

    @usableFromInline init() {}
    /// Releases happen when at least this many links have gone since the peak (and half of them).
    static let linksGone = 32
    static let minimumInterval = TimeSpan.seconds(5)

    /// Notes the link count at `now`; releases free memory when a crowd of links has gone.
    @usableFromInline
    mutating func note(links: Int, at now: Timestamp) {
        peakLinks = max(peakLinks, links)
        guard peakLinks - links >= Self.linksGone, links * 2 <= peakLinks, now - lastRelease >= Self.minimumInterval else { return }
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
        peakLinks = links
        lastRelease = now
    }
}
