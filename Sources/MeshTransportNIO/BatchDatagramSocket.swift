#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CMeshUDP
import MeshTransport
import NIOCore

/// One unconnected UDP socket read and written a batch at a time (recvmmsg and sendmmsg),
/// through buffers allocated once: no allocation per datagram on either path.
///
/// On Linux, consecutive datagrams to one address of one size (the last may be shorter: a
/// reliable burst) go out as one message that the kernel cuts up (UDP generic segmentation
/// offload), so the network stack is walked once per run instead of once per datagram. The
/// receiver still gets the same separate datagrams. Where the kernel or the route refuses it,
/// the socket writes datagram by datagram from then on. Reads ask for the reverse (UDP generic
/// receive offload): a run from one sender may arrive as one read, which ``receive()`` splits
/// back into its datagrams.
///
/// ``POSIXUDPDriver``'s socket, and the bare-UDP baseline `meshplay bench transport` measures it
/// against. Use it from one thread at a time (the binder, then the reader), hence unchecked.
/// Reads never block (`MSG_DONTWAIT`): wait with ``waitReadable(milliseconds:)`` or poll(2).
public final class BatchDatagramSocket: @unchecked Sendable {
    /// Datagrams per write system call, and per read without coalesced reads.
    public static let vector = 32
    /// Bytes per datagram slot: more than any datagram Meshplay sends or accepts
    /// (``PacketHeader/maxDatagram``); a longer one is dropped here (cut by the kernel, or,
    /// in a coalesced read's larger slot, refused by its length).
    public static let slot = 2048
    /// Reads per system call with coalesced reads, each into a slot for a whole run (64 KiB:
    /// 1 MiB in all, where 32 plain slots take 64 KiB).
    static let coalescedVector = 16
    static let coalescedSlot = 65_536
    /// The most datagrams one coalesced read may hold: the kernel merges at most 64.
    static let coalescedRun = 64

    /// The socket's file descriptor.
    public let descriptor: Int32
    /// The bound local address.
    public let localAddress: UDPAddress
    /// Whether the socket is IPv6 (dual-stack): IPv4 peers are written to at their mapped form.
    let isIPv6: Bool

    private let readSlots: UnsafeMutableRawPointer
    private let readNames: UnsafeMutablePointer<sockaddr_storage>
    private let readVectors: UnsafeMutablePointer<iovec>
    private let readHeaders: UnsafeMutablePointer<msghdr>
    private let readLengths: UnsafeMutablePointer<UInt32>
    private let readControls: UnsafeMutableRawPointer
    /// Whether the kernel may hand this socket a run of datagrams as one read.
    public let coalescesReads: Bool
    private let readVector: Int
    private let readSlot: Int
    /// The datagrams of the last read, split: where each starts in `readSlots`, its length,
    /// and which read (for its sender) it came in.
    private let splitOffsets: UnsafeMutablePointer<Int>
    private let splitLengths: UnsafeMutablePointer<Int>
    private let splitReads: UnsafeMutablePointer<Int>
    /// Whether the last read filled every slot (more are probably waiting).
    public private(set) var lastReadWasFull = false
    private let writeSlots: UnsafeMutableRawPointer
    private let writeNames: UnsafeMutablePointer<sockaddr_storage>
    private let writeVectors: UnsafeMutablePointer<iovec>
    private let writeHeaders: UnsafeMutablePointer<msghdr>
    private let writeNameLengths: UnsafeMutablePointer<socklen_t>
    /// Per slot: the datagram goes where the one in the slot before goes.
    private let writeFollows: UnsafeMutablePointer<Bool>
    private let writeControls: UnsafeMutableRawPointer
    /// Whether runs go out as one segmented write; off for good once the kernel refuses segmentation.
    public private(set) var segmentsWrites = cmeshudp_segment_control_space() > 0
    private var isClosed = false
    /// The most bytes one segmented write carries (a UDP datagram's limit, with room to spare).
    static let segmentedWriteLimit = 60_000

    /// Binds a socket to `host:port` (an IP literal or a name the system resolves; port 0 picks
    /// a free one), with 4 MiB socket buffers so a burst is not dropped by the kernel.
    public static func bind(host: String, port: Int) throws(UDPBindError) -> BatchDatagramSocket {
        func failure(_ code: Int32?, _ reason: String? = nil) -> UDPBindError {
            UDPBindError(host: host, port: port, reason: reason ?? String(cString: strerror(code ?? 0)), errno: code)
        }
        let address: UDPAddress
        if let literal = UDPAddress(ipAddress: host, port: port) {
            address = literal
        } else {
            guard let resolved = try? SocketAddress.makeAddressResolvingHost(host, port: port), let converted = UDPAddress(resolved) else {
                throw failure(nil, "not an address")
            }
            address = converted
        }
        let family = address.family == .v4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let descriptor = socket(family, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { throw failure(errno) }
        var size: Int32 = 4 << 20
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        let bound = withUnsafeMutableBytes(of: &storage) { raw in
            let length = address.write(socketAddressTo: raw.baseAddress!, fromIPv6Socket: family == AF_INET6)
            return systemBind(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
        guard bound == 0 else {
            let code = errno
            _ = systemClose(descriptor)
            throw failure(code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutableBytes(of: &storage) { raw in
            getsockname(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
        }
        guard named == 0, let local = withUnsafeBytes(of: &storage, { UDPAddress(socketAddress: $0.baseAddress!) }) else {
            let code = errno
            _ = systemClose(descriptor)
            throw failure(code)
        }
        return BatchDatagramSocket(descriptor: descriptor, localAddress: local, isIPv6: family == AF_INET6)
    }

    private init(descriptor: Int32, localAddress: UDPAddress, isIPv6: Bool) {
        self.descriptor = descriptor
        self.localAddress = localAddress
        self.isIPv6 = isIPv6
        let count = Self.vector
        coalescesReads = cmeshudp_enable_coalesced_reads(descriptor) == 0
        readVector = coalescesReads ? Self.coalescedVector : Self.vector
        readSlot = coalescesReads ? Self.coalescedSlot : Self.slot
        readSlots = .allocate(byteCount: readVector * readSlot, alignment: 16)
        readNames = .allocate(capacity: readVector)
        readVectors = .allocate(capacity: readVector)
        readHeaders = .allocate(capacity: readVector)
        readLengths = .allocate(capacity: readVector)
        readControls = .allocate(byteCount: readVector * max(Int(cmeshudp_coalesced_control_space()), 1), alignment: 16)
        let splits = coalescesReads ? readVector * Self.coalescedRun : 0
        splitOffsets = .allocate(capacity: splits)
        splitLengths = .allocate(capacity: splits)
        splitReads = .allocate(capacity: splits)
        writeSlots = .allocate(byteCount: count * Self.slot, alignment: 16)
        writeNames = .allocate(capacity: count)
        writeVectors = .allocate(capacity: count)
        writeHeaders = .allocate(capacity: count)
        writeNameLengths = .allocate(capacity: count)
        writeFollows = .allocate(capacity: count)
        writeControls = .allocate(byteCount: count * max(Int(cmeshudp_segment_control_space()), 1), alignment: 16)
        for index in 0..<readVector {
            readVectors[index] = iovec(iov_base: readSlots + index * readSlot, iov_len: readSlot)
        }
        for index in 0..<count {
            writeVectors[index] = iovec(iov_base: writeSlots + index * Self.slot, iov_len: 0)
        }
    }

    deinit {
        close()
        for pointer in [readSlots, writeSlots] { pointer.deallocate() }
        readNames.deallocate()
        readVectors.deallocate()
        readHeaders.deallocate()
        readLengths.deallocate()
        readControls.deallocate()
        splitOffsets.deallocate()
        splitLengths.deallocate()
        splitReads.deallocate()
        writeNames.deallocate()
        writeVectors.deallocate()
        writeHeaders.deallocate()
        writeNameLengths.deallocate()
        writeFollows.deallocate()
        writeControls.deallocate()
    }

    /// Closes the descriptor (once).
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = systemClose(descriptor)
    }

    // MARK: Reading

    /// Reads the datagrams waiting, one batch of reads' worth, without blocking; returns how
    /// many datagrams (0 when none waits, or on an error the next read may not have: an ICMP
    /// report, an interrupt). ``lastReadWasFull`` says whether more probably wait.
    public func receive() -> Int {
        let controlSpace = Int(cmeshudp_coalesced_control_space())
        for index in 0..<readVector {
            readHeaders[index] = msghdr(
                msg_name: UnsafeMutableRawPointer(readNames + index), msg_namelen: socklen_t(MemoryLayout<sockaddr_storage>.size),
                msg_iov: readVectors + index, msg_iovlen: 1,
                msg_control: coalescesReads ? readControls + index * controlSpace : nil,
                msg_controllen: coalescesReads ? controlSpace : 0, msg_flags: 0)
        }
        let reads = max(Int(cmeshudp_recvmmsg(descriptor, readHeaders, readLengths, UInt32(readVector), Int32(MSG_DONTWAIT))), 0)
        lastReadWasFull = reads == readVector
        guard coalescesReads else { return reads }
        var count = 0
        for read in 0..<reads {
            let length = Int(readLengths[read])
            let segment = Int(cmeshudp_coalesced_segment(readHeaders[read].msg_control, UInt(readHeaders[read].msg_controllen)))
            let size = segment > 0 ? segment : length
            var offset = 0
            // A zero-length datagram is one datagram too.
            repeat {
                guard count < readVector * Self.coalescedRun else { break }  // more than the kernel merges: never
                let piece = min(size, length - offset)
                splitOffsets[count] = read * readSlot + offset
                splitLengths[count] = piece
                splitReads[count] = read
                count += 1
                offset += piece
            } while offset < length
        }
        return count
    }

    /// Datagram `index` of the last read with its sender, or nil when it was cut short (longer
    /// than a slot) or came from an address that is not IPv4 or IPv6. The bytes are valid
    /// until the next read.
    public func datagram(_ index: Int) -> (bytes: UnsafeRawBufferPointer, from: UDPAddress)? {
        let read = coalescesReads ? splitReads[index] : index
        let start = coalescesReads ? splitOffsets[index] : index * readSlot
        let length = coalescesReads ? splitLengths[index] : Int(readLengths[index])
        guard readHeaders[read].msg_flags & Int32(MSG_TRUNC) == 0, length <= Self.slot,
              let from = UDPAddress(socketAddress: UnsafeRawPointer(readNames + read))
        else { return nil }
        return (UnsafeRawBufferPointer(start: readSlots + start, count: length), from)
    }

    /// Sleeps until a datagram waits or `milliseconds` pass; returns whether one waits.
    public func waitReadable(milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    // MARK: Writing

    /// Writes every datagram, ``vector`` per system call. One the system refuses (an address it
    /// cannot reach, say) is skipped, as the network would lose it; so is one longer than a slot,
    /// which Meshplay never makes.
    public func send(_ datagrams: [OutgoingDatagram<UDPAddress>]) {
        var next = 0
        while next < datagrams.count {
            var count = 0
            var previous: UDPAddress?
            while count < Self.vector, next < datagrams.count {
                let datagram = datagrams[next]
                next += 1
                guard datagram.bytes.count <= Self.slot else { continue }
                let slot = writeSlots + count * Self.slot
                datagram.bytes.withUnsafeBytes { slot.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                writeVectors[count].iov_len = datagram.bytes.count
                writeNameLengths[count] = datagram.address.write(socketAddressTo: UnsafeMutableRawPointer(writeNames + count), fromIPv6Socket: isIPv6)
                writeFollows[count] = datagram.address == previous
                previous = datagram.address
                count += 1
            }
            write(slots: count)
        }
    }

    /// Writes the datagrams in the first `slots` slots.
    private func write(slots: Int) {
        var messages = segmentsWrites ? messagesWithRuns(slots: slots) : messagesOnePerDatagram(from: 0, to: slots, at: 0)
        var written = 0
        while written < messages {
            let result = cmeshudp_sendmmsg(descriptor, writeHeaders + written, UInt32(messages - written), 0)
            if result > 0 {
                written += Int(result)
            } else if errno == EINTR {
                continue
            } else if writeHeaders[written].msg_controllen > 0 {
                // A segmented write refused: the rest of this batch goes datagram by datagram, so
                // a refused address skips only its own datagrams. When the refusal is segmentation
                // itself (EIO: a device without checksum offload; EINVAL: a kernel too old), every
                // later batch does too.
                if errno == EIO || errno == EINVAL { segmentsWrites = false }
                let firstSlot = writeHeaders[written].msg_iov - writeVectors
                messages = messagesOnePerDatagram(from: firstSlot, to: slots, at: written)
            } else {
                written += 1  // refused: skip it, keep the rest
            }
        }
    }

    /// Fills the message headers from `message` on with one message per slot in `first..<end`;
    /// returns the number of messages then.
    private func messagesOnePerDatagram(from first: Int, to end: Int, at message: Int) -> Int {
        var message = message
        for slot in first..<end {
            writeHeaders[message] = msghdr(
                msg_name: UnsafeMutableRawPointer(writeNames + slot), msg_namelen: writeNameLengths[slot],
                msg_iov: writeVectors + slot, msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0)
            message += 1
        }
        return message
    }

    /// Fills the message headers with one message per run of slots that can go as one segmented
    /// write (same address; every datagram but the last of the first one's size); returns how many.
    private func messagesWithRuns(slots: Int) -> Int {
        let controlSpace = Int(cmeshudp_segment_control_space())
        var messages = 0
        var first = 0
        while first < slots {
            let size = writeVectors[first].iov_len
            var end = first + 1
            var bytes = size
            while end < slots, writeFollows[end], writeVectors[end - 1].iov_len == size, writeVectors[end].iov_len <= size,
                  bytes + writeVectors[end].iov_len <= Self.segmentedWriteLimit {
                bytes += writeVectors[end].iov_len
                end += 1
            }
            let control = writeControls + messages * controlSpace
            let controlLength = end - first > 1 ? Int(cmeshudp_segment_control(control, UInt16(size))) : 0
            writeHeaders[messages] = msghdr(
                msg_name: UnsafeMutableRawPointer(writeNames + first), msg_namelen: writeNameLengths[first],
                msg_iov: writeVectors + first, msg_iovlen: end - first,
                msg_control: controlLength > 0 ? control : nil, msg_controllen: controlLength, msg_flags: 0)
            messages += 1
            first = end
        }
        return messages
    }
}

// The system calls under the names the class's own methods take.
private func systemBind(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    bind(descriptor, address, length)
}

private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }
