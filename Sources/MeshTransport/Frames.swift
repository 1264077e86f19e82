import MeshplayCore

/// Acknowledgement state carried at the start of a data packet's plaintext:
/// the largest packet sequence received and a bitfield of the 32 before it
/// (bit `i` set means packet `largest - 1 - i` was received).
public struct AckBlock: Equatable, Sendable {
    /// The largest packet sequence received.
    public var largest: UInt64
    /// Bit `i` set: packet `largest - 1 - i` was received.
    public var bitfield: UInt32

    /// An ack block with these fields.
    public init(largest: UInt64, bitfield: UInt32) {
        self.largest = largest
        self.bitfield = bitfield
    }

    /// Whether this block says packet `sequence` arrived.
    public func acknowledges(_ sequence: UInt64) -> Bool {
        if sequence == largest { return true }
        guard sequence < largest, largest - sequence <= 32 else { return false }
        return bitfield & (1 << UInt32(largest - sequence - 1)) != 0
    }
}

/// One frame inside a data packet's plaintext. See PacketFormat.md.
public enum Frame: Equatable, Sendable {
    /// An unreliable datagram on `channel`.
    case unreliable(channel: UInt8, payload: [UInt8])
    /// A piece of a reliable-ordered message: fragment `sequence` of the link's
    /// reliable stream; `first` and `last` mark message boundaries.
    case reliable(channel: UInt8, sequence: UInt64, first: Bool, last: Bool, payload: [UInt8])
    /// A keepalive that asks for an acknowledgement.
    case ping
    /// The sender is closing the link.
    case close

    static let unreliableType: UInt8 = 0x01
    /// An unreliable datagram without a length: it runs to the end of the packet.
    static let unreliableToEndType: UInt8 = 0x02
    static let reliableType: UInt8 = 0x10  // | 1 first | 2 last
    static let pingType: UInt8 = 0x20
    static let closeType: UInt8 = 0x21

    /// Most bytes a frame header can take (type, channel, 10-byte varint, 3-byte length).
    static let maxFrameHeader = 15
    /// Most bytes the packet flags and ack block can take.
    static let maxAckBlock = 1 + 10 + 4
    /// The largest payload one frame carries; every frame fits a fresh packet.
    public static let maxFramePayload = PacketHeader.maxPayload - maxFrameHeader - maxAckBlock
}

/// Reads the plaintext of a data packet: one flags byte (bit 0: an ack block
/// follows), the optional ack block, then frames to the end.
///
/// Every length is checked against the bytes present; malformed input throws
/// and nothing traps.
public struct FrameDecoder {
    var reader: ByteReader
    /// The packet's acknowledgement block, if it had one.
    public private(set) var ack: AckBlock?

    /// Starts decoding `plaintext`; reads the flags and the ack block.
    public init(plaintext: [UInt8]) throws {
        // A sealed datagram cannot carry more; refusing longer input here keeps every frame
        // (the length-free last one included) within the payload bound whatever the caller passes.
        guard plaintext.count <= PacketHeader.maxPayload else {
            throw DecodingError(offset: PacketHeader.maxPayload, reason: "plaintext of \(plaintext.count) bytes exceeds \(PacketHeader.maxPayload)")
        }
        reader = ByteReader(plaintext)
        let flags = try reader.readByte()
        guard flags & ~1 == 0 else { throw DecodingError(offset: 0, reason: "unknown packet flags \(flags)") }
        if flags & 1 != 0 {
            let largest = try reader.readVarint()
            let bitfield = try reader.readUInt32()
            ack = AckBlock(largest: largest, bitfield: bitfield)
        }
    }

    /// The next frame, or nil at the end of the packet.
    public mutating func next() throws -> Frame? {
        if reader.isAtEnd { return nil }
        let type = try reader.readByte()
            switch type {
            case Frame.unreliableType:
                let channel = try reader.readByte()
                let payload = try reader.readLengthPrefixed(max: PacketHeader.maxPayload)
                return .unreliable(channel: channel, payload: payload)
            case Frame.unreliableToEndType:
                let channel = try reader.readByte()
                return .unreliable(channel: channel, payload: try reader.readBytes(count: reader.remaining))
            case Frame.reliableType ... Frame.reliableType | 3:
                let channel = try reader.readByte()
                let sequence = try reader.readVarint()
                let payload = try reader.readLengthPrefixed(max: Frame.maxFramePayload)
                return .reliable(channel: channel, sequence: sequence, first: type & 1 != 0, last: type & 2 != 0, payload: payload)
            case Frame.pingType:
                return .ping
            case Frame.closeType:
                return .close
            default:
                throw DecodingError(offset: reader.offset - 1, reason: "unknown frame type \(type)")
            }
    }

    /// Decodes a whole plaintext (tests and fuzzing).
    public static func decodeAll(_ plaintext: [UInt8]) throws -> (AckBlock?, [Frame]) {
        var decoder = try FrameDecoder(plaintext: plaintext)
        var frames: [Frame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return (decoder.ack, frames)
    }
}

/// Writes the plaintext of a data packet.
struct FrameEncoder {
    var writer: WireWriter
    /// Whether the packet carries an ack block.
    let hasAck: Bool

    init(ack: AckBlock?) {
        hasAck = ack != nil
        writer = WireWriter(capacity: PacketHeader.maxPayload)
        if let ack {
            writer.byte(1)
            writer.varint(ack.largest)
            writer.uint32(ack.bitfield)
        } else {
            writer.byte(0)
        }
    }

    var count: Int { writer.bytes.count }
    var room: Int { PacketHeader.maxPayload - writer.bytes.count }

    static func unreliableSize(_ payloadCount: Int) -> Int {
        2 + WireWriter.varintSize(UInt64(payloadCount)) + payloadCount
    }

    static func reliableSize(sequence: UInt64, payloadCount: Int) -> Int {
        2 + WireWriter.varintSize(sequence) + WireWriter.varintSize(UInt64(payloadCount)) + payloadCount
    }

    /// `toEnd`: the frame is the packet's last, so its length is left out (type 0x02).
    mutating func unreliable(channel: UInt8, payload: [UInt8], toEnd: Bool = false) {
        writer.byte(toEnd ? Frame.unreliableToEndType : Frame.unreliableType)
        writer.byte(channel)
        if !toEnd { writer.varint(UInt64(payload.count)) }
        writer.append(payload)
    }

    mutating func reliable(channel: UInt8, sequence: UInt64, first: Bool, last: Bool, payload: ArraySlice<UInt8>) {
        // The header (at most 2 + 10 + 10 bytes) is built on the stack and appended in one copy:
        // byte by byte, every append checks the array's uniqueness and capacity.
        var header: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let size = withUnsafeMutableBytes(of: &header) { bytes in
            bytes[0] = Frame.reliableType | (first ? 1 : 0) | (last ? 2 : 0)
            bytes[1] = channel
            var size = WireWriter.writeVarint(sequence, into: bytes, at: 2)
            size = WireWriter.writeVarint(UInt64(payload.count), into: bytes, at: size)
            return size
        }
        withUnsafeBytes(of: &header) { writer.bytes.append(contentsOf: UnsafeBufferPointer(start: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: size)) }
        writer.append(payload)
    }

    mutating func ping() { writer.byte(Frame.pingType) }
    mutating func close() { writer.byte(Frame.closeType) }
}
