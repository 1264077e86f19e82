import MeshplayCore

/// Where one whole, check-verified record sits in a file.
public struct ReplayRecordSpan: Hashable, Sendable {
    /// Which record this is.
    public var type: ReplayFormat.RecordType
    /// Offset of the record's type byte.
    public var offset: Int
    /// The payload's bytes.
    public var payload: Range<Int>
    /// Offset one past the record's check value.
    public var end: Int
}

/// Walks a replay file record by record, verifying the check chain and the record
/// order (header, blocks, trailer, end of file). It never copies a payload.
public struct ReplayRecordScanner: Sendable {
    /// What the next step of the scan found.
    public enum Step: Hashable, Sendable {
        /// A whole record whose check value is correct.
        case record(ReplayRecordSpan)
        /// The file ends right after the trailer, as it should.
        case end
        /// The file stops (or a length runs past its end) at this offset before the trailer.
        case truncated(offset: Int)
    }

    /// The whole file (so far, for a stream still arriving).
    public private(set) var bytes: [UInt8]
    /// Offset of the next record.
    public private(set) var offset: Int
    /// The file's format version (this build's when the preamble is cut off).
    public private(set) var formatVersion = ReplayFormat.version
    private var chain = ReplayChain()
    private var seenHeader = false
    private var seenTrailer = false

    /// Checks the preamble. Throws on a wrong magic or an unsupported format version;
    /// a file too short to hold the preamble is reported by the first `next()` as truncated at 0.
    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        let magic = ReplayFormat.magic
        let magicPresent = min(bytes.count, magic.count)
        guard bytes[0..<magicPresent].elementsEqual(magic[0..<magicPresent]) else {
            throw DecodingError(offset: 0, reason: "not a Meshplay replay (bad magic)")
        }
        if bytes.count >= ReplayFormat.preambleSize {
            let version = UInt16(bytes[8]) | UInt16(bytes[9]) << 8
            let readable = ReplayFormat.readableVersions
            guard readable.contains(version) else {
                throw DecodingError(offset: 8, reason: "unsupported replay format version \(version) (this build reads \(readable.lowerBound)-\(readable.upperBound))")
            }
            formatVersion = version
            chain = ReplayChain(version: version)
            offset = ReplayFormat.preambleSize
        } else {
            offset = 0  // too short: next() reports truncation at 0
        }
    }

    /// More bytes of a stream that is still arriving (a live match feed): a scan that stopped
    /// at a truncation goes on from the same record. Nothing may follow a trailer.
    public mutating func append(_ more: [UInt8]) {
        bytes.append(contentsOf: more)
        if offset == 0, bytes.count >= ReplayFormat.preambleSize, let scanner = try? ReplayRecordScanner(bytes: bytes) {
            // The preamble was cut off before: read it now (a bad one is found by the next scan).
            self = scanner
        }
    }

    /// The next record, the end of the file, or where it was cut off.
    public mutating func next() throws -> Step {
        if offset < ReplayFormat.preambleSize { return .truncated(offset: 0) }
        let start = offset
        if seenTrailer {
            guard start == bytes.count else {
                throw DecodingError(offset: start, reason: "\(bytes.count - start) unexpected bytes after the trailer")
            }
            return .end
        }
        guard start < bytes.count else { return .truncated(offset: start) }
        guard let type = ReplayFormat.RecordType(rawValue: bytes[start]) else {
            throw DecodingError(offset: start, reason: "unknown record type \(bytes[start])")
        }
        var reader = ByteReader(bytes, range: start + 1 ..< bytes.count)
        let length: UInt64
        do {
            length = try reader.readVarint()
        } catch let error as DecodingError where reader.isAtEnd && error.reason.contains("end of data") {
            return .truncated(offset: start)
        }
        guard length <= UInt64(ReplayFormat.maxRecordPayload) else {
            throw DecodingError(offset: start + 1, reason: "record length \(length) exceeds limit \(ReplayFormat.maxRecordPayload)")
        }
        let payloadStart = reader.offset
        let payloadEnd = payloadStart + Int(length)
        let end = payloadEnd + ReplayFormat.checkSize
        guard end <= bytes.count else { return .truncated(offset: start) }

        var stored: UInt64 = 0
        for index in 0..<ReplayFormat.checkSize { stored |= UInt64(bytes[payloadEnd + index]) << UInt64(8 * index) }
        let expected = chain.check(ofRecord: bytes, range: start ..< payloadEnd)
        guard stored == expected else {
            throw DecodingError(offset: start, reason: "check value of the record at byte \(start) does not match (corrupt or tampered)")
        }
        switch type {
        case .header:
            guard !seenHeader else { throw DecodingError(offset: start, reason: "second header record") }
            seenHeader = true
        case .block:
            guard seenHeader else { throw DecodingError(offset: start, reason: "block before the header") }
        case .attestation:
            guard seenHeader, formatVersion >= 3 else {
                throw DecodingError(offset: start, reason: "attestation record in a version \(formatVersion) file or before the header")
            }
        case .trailer:
            guard seenHeader else { throw DecodingError(offset: start, reason: "trailer before the header") }
            seenTrailer = true
        }
        chain.advance(to: stored)
        offset = end
        return .record(ReplayRecordSpan(type: type, offset: start, payload: payloadStart ..< payloadEnd, end: end))
    }

    /// Every whole record of a file, for tools and tests. Stops at the end, at a
    /// truncation (returned alongside) or at the first error (thrown).
    public static func records(in bytes: [UInt8]) throws -> (records: [ReplayRecordSpan], truncatedAt: Int?) {
        var scanner = try ReplayRecordScanner(bytes: bytes)
        var records: [ReplayRecordSpan] = []
        while true {
            switch try scanner.next() {
            case .record(let span): records.append(span)
            case .end: return (records, nil)
            case .truncated(let offset): return (records, offset)
            }
        }
    }
}
