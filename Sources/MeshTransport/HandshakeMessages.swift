import MeshplayCore

/// The plaintexts of the four handshake packets. Each has a fixed size, so a
/// packet of the wrong length is refused before any other work. See PacketFormat.md.
public enum HandshakeMessage: Equatable, Sendable {
    /// Zero padding, so the hello is larger than the cookie it can cause.
    case hello
    /// The responder's stateless cookie for the hello with nonce `helloNonce`.
    case cookie(helloNonce: UInt64, cookie: [UInt8])
    /// The initiator proves its address (cookie), identity and fresh ephemeral key.
    case initiation(Initiation)
    /// The responder's identity and ephemeral key, signed over both ephemeral keys.
    case response(Response)

    /// Hello plaintext bytes (all zero).
    public static let helloPadding = 40
    /// Cookie bytes.
    public static let cookieSize = 16

    /// Handshake 3's fields.
    public struct Initiation: Equatable, Sendable {
        /// The responder's cookie, echoed.
        public var cookie: [UInt8]
        /// The nonce of the hello the cookie answered.
        public var helloNonce: UInt64
        /// The session id the initiator will receive on.
        public var initiatorSession: UInt32
        /// The initiator's Ed25519 public key (32 bytes).
        public var signingKey: [UInt8]
        /// The initiator's fresh X25519 public key (32 bytes).
        public var ephemeralKey: [UInt8]
        /// Ed25519 signature (64 bytes) over ``signedBytes(ephemeralKey:session:)``.
        public var signature: [UInt8]

        /// An initiation with these fields.
        public init(cookie: [UInt8], helloNonce: UInt64, initiatorSession: UInt32, signingKey: [UInt8], ephemeralKey: [UInt8], signature: [UInt8]) {
            self.cookie = cookie
            self.helloNonce = helloNonce
            self.initiatorSession = initiatorSession
            self.signingKey = signingKey
            self.ephemeralKey = ephemeralKey
            self.signature = signature
        }

        /// What the initiator signs: a label, its ephemeral key and its session id.
        static func signedBytes(ephemeralKey: [UInt8], session: UInt32) -> [UInt8] {
            var writer = WireWriter(capacity: 64)
            writer.append(Array("meshplay-init-v1".utf8))
            writer.append(ephemeralKey)
            writer.uint32(session)
            return writer.bytes
        }
    }

    /// Handshake 4's fields.
    public struct Response: Equatable, Sendable {
        /// The session id the responder will receive on.
        public var responderSession: UInt32
        /// The responder's Ed25519 public key (32 bytes).
        public var signingKey: [UInt8]
        /// The responder's fresh X25519 public key (32 bytes).
        public var ephemeralKey: [UInt8]
        /// Ed25519 signature (64 bytes) over both ephemeral keys and both session ids.
        public var signature: [UInt8]

        /// A response with these fields.
        public init(responderSession: UInt32, signingKey: [UInt8], ephemeralKey: [UInt8], signature: [UInt8]) {
            self.responderSession = responderSession
            self.signingKey = signingKey
            self.ephemeralKey = ephemeralKey
            self.signature = signature
        }

        /// What the responder signs: a label, both ephemeral keys and both session ids.
        static func signedBytes(initiatorEphemeral: [UInt8], responderEphemeral: [UInt8], initiatorSession: UInt32, responderSession: UInt32) -> [UInt8] {
            var writer = WireWriter(capacity: 96)
            writer.append(Array("meshplay-resp-v1".utf8))
            writer.append(initiatorEphemeral)
            writer.append(responderEphemeral)
            writer.uint32(initiatorSession)
            writer.uint32(responderSession)
            return writer.bytes
        }
    }

    /// Plaintext sizes by packet type.
    public static func plaintextSize(of type: PacketType) -> Int? {
        switch type {
        case .hello: helloPadding
        case .cookie: 8 + cookieSize
        case .initiation: cookieSize + 8 + 4 + 32 + 32 + 64
        case .response: 4 + 32 + 32 + 64
        case .data: nil
        }
    }

    /// The packet type that carries this message.
    public var packetType: PacketType {
        switch self {
        case .hello: .hello
        case .cookie: .cookie
        case .initiation: .initiation
        case .response: .response
        }
    }

    /// The plaintext bytes.
    public func encoded() -> [UInt8] {
        var writer = WireWriter(capacity: 160)
        switch self {
        case .hello:
            writer.append([UInt8](repeating: 0, count: Self.helloPadding))
        case .cookie(let nonce, let cookie):
            writer.uint64(nonce)
            writer.append(cookie)
        case .initiation(let message):
            writer.append(message.cookie)
            writer.uint64(message.helloNonce)
            writer.uint32(message.initiatorSession)
            writer.append(message.signingKey)
            writer.append(message.ephemeralKey)
            writer.append(message.signature)
        case .response(let message):
            writer.uint32(message.responderSession)
            writer.append(message.signingKey)
            writer.append(message.ephemeralKey)
            writer.append(message.signature)
        }
        return writer.bytes
    }

    /// Parses the plaintext of a handshake packet of `type`; the length must be exact.
    public init(type: PacketType, plaintext: [UInt8]) throws {
        guard let size = Self.plaintextSize(of: type) else { throw DecodingError(offset: 0, reason: "not a handshake packet") }
        guard plaintext.count == size else {
            throw DecodingError(offset: 0, reason: "handshake plaintext of \(plaintext.count) bytes, expected \(size)")
        }
        var reader = ByteReader(plaintext)
        switch type {
        case .hello:
            guard plaintext.allSatisfy({ $0 == 0 }) else { throw DecodingError(offset: 0, reason: "hello padding is not zero") }
            try reader.skip(Self.helloPadding)
            self = .hello
        case .cookie:
            let nonce = try reader.readUInt64()
            self = .cookie(helloNonce: nonce, cookie: try reader.readBytes(count: Self.cookieSize))
        case .initiation:
            let cookie = try reader.readBytes(count: Self.cookieSize)
            let nonce = try reader.readUInt64()
            let session = try reader.readUInt32()
            let signing = try reader.readBytes(count: 32)
            let ephemeral = try reader.readBytes(count: 32)
            let signature = try reader.readBytes(count: 64)
            self = .initiation(Initiation(cookie: cookie, helloNonce: nonce, initiatorSession: session, signingKey: signing, ephemeralKey: ephemeral, signature: signature))
        case .response:
            let session = try reader.readUInt32()
            let signing = try reader.readBytes(count: 32)
            let ephemeral = try reader.readBytes(count: 32)
            let signature = try reader.readBytes(count: 64)
            self = .response(Response(responderSession: session, signingKey: signing, ephemeralKey: ephemeral, signature: signature))
        case .data:
            throw DecodingError(offset: 0, reason: "not a handshake packet")
        }
        try reader.expectEnd("handshake message")
    }
}
