@preconcurrency import Crypto
import Foundation
import MeshplayCore

/// An outgoing connection attempt (initiator side).
struct PendingConnection<Address: LinkAddress>: Sendable {
    enum Stage: Sendable { case hello, initiation }

    let address: Address
    let helloNonce: UInt64
    let ephemeral: Curve25519.KeyAgreement.PrivateKey
    let localSession: UInt32
    let startedAt: Timestamp
    var stage = Stage.hello
    var cookie: [UInt8] = []
    var lastSentAt: Timestamp
    /// Initiations sent so far: the response times a round trip only when there was one (Karn's rule).
    var initiationsSent = 0

    init(address: Address, helloNonce: UInt64, ephemeral: Curve25519.KeyAgreement.PrivateKey, localSession: UInt32, startedAt: Timestamp) {
        self.address = address
        self.helloNonce = helloNonce
        self.ephemeral = ephemeral
        self.localSession = localSession
        self.startedAt = startedAt
        self.lastSentAt = startedAt
    }
}

/// The stateless-cookie handshake:
///
/// 1. hello (initiator → responder, 70 bytes): sealed with the mesh handshake key, zero padding.
/// 2. cookie (54 bytes): HMAC(secret, bucket, address, hello nonce). No state is kept.
/// 3. initiation (186 bytes): cookie, session id, signing key, ephemeral X25519 key, signature.
/// 4. response (162 bytes): session id, signing key, ephemeral key, signature over both ephemerals.
///
/// Every reply is smaller than the packet that caused it, and only packets sealed
/// with the mesh key get any reply. Session keys: HKDF-SHA256 over the X25519
/// shared secret, salted with the mesh key, one key per direction.
extension MeshEndpoint {
    func sealHandshake(_ message: HandshakeMessage, session: UInt32, nonce: UInt64) -> [UInt8] {
        handshakeSealer.seal(header: PacketHeader(type: message.packetType, session: session, sequence: nonce), plaintext: message.encoded())
    }

    mutating func sendHandshake(for attempt: inout PendingConnection<Address>, at now: Timestamp, into output: inout EndpointOutput<Address>) {
        attempt.lastSentAt = now
        switch attempt.stage {
        case .hello:
            output.datagrams.append(OutgoingDatagram(address: attempt.address, bytes: sealHandshake(.hello, session: 0, nonce: attempt.helloNonce)))
        case .initiation:
            attempt.initiationsSent += 1
            let ephemeral = Array(attempt.ephemeral.publicKey.rawRepresentation)
            let signature = identity.sign(HandshakeMessage.Initiation.signedBytes(ephemeralKey: ephemeral, session: attempt.localSession))
            let message = HandshakeMessage.initiation(.init(
                cookie: attempt.cookie, helloNonce: attempt.helloNonce, initiatorSession: attempt.localSession,
                signingKey: Array(identity.publicKey.rawRepresentation), ephemeralKey: ephemeral, signature: signature))
            output.datagrams.append(OutgoingDatagram(address: attempt.address, bytes: sealHandshake(message, session: 0, nonce: entropy.next())))
        }
    }

    mutating func receiveHandshake(_ datagram: [UInt8], header: PacketHeader, from address: Address, at now: Timestamp, into output: inout EndpointOutput<Address>) {
        // Cheap checks before any cryptography: exact size, and a session id only where one belongs.
        guard let size = HandshakeMessage.plaintextSize(of: header.type),
              datagram.count == PacketHeader.maxOverhead + size,
              (header.type == .response) == (header.session != 0),
              let plaintext = handshakeSealer.open(datagram, header: header),
              let message = try? HandshakeMessage(type: header.type, plaintext: plaintext)
        else {
            counters.rejected += 1
            return
        }
        let accepted: Bool
        switch message {
        case .hello:
            sendCookie(helloNonce: header.sequence, to: address, at: now, into: &output)
            accepted = true
        case .cookie(let nonce, let cookie):
            accepted = receiveCookie(nonce: nonce, cookie: cookie, from: address, at: now, into: &output)
        case .initiation(let initiation):
            accepted = receiveInitiation(initiation, from: address, at: now, into: &output)
        case .response(let response):
            accepted = receiveResponse(response, session: header.session, from: address, at: now, into: &output)
        }
        if accepted { counters.accepted += 1 } else { counters.rejected += 1 }
    }

    mutating func sendCookie(helloNonce: UInt64, to address: Address, at now: Timestamp, into output: inout EndpointOutput<Address>) {
        let cookie = cookies.cookie(for: address.cookieBytes, helloNonce: helloNonce, at: now)
        output.datagrams.append(OutgoingDatagram(
            address: address, bytes: sealHandshake(.cookie(helloNonce: helloNonce, cookie: cookie), session: 0, nonce: entropy.next())))
        counters.cookiesSent += 1
    }

    mutating func receiveCookie(nonce: UInt64, cookie: [UInt8], from address: Address, at now: Timestamp, into output: inout EndpointOutput<Address>) -> Bool {
        guard let index = pending.firstIndex(where: { $0.address == address && $0.helloNonce == nonce }) else { return false }
        pending[index].cookie = cookie
        pending[index].stage = .initiation
        var attempt = pending[index]
        sendHandshake(for: &attempt, at: now, into: &output)
        pending[index] = attempt
        return true
    }

    mutating func receiveInitiation(_ initiation: HandshakeMessage.Initiation, from address: Address, at now: Timestamp, into output: inout EndpointOutput<Address>) -> Bool {
        guard cookies.isValid(initiation.cookie, for: address.cookieBytes, helloNonce: initiation.helloNonce, at: now) else {
            // Sealed with the mesh key but the cookie is stale: hand out a fresh one (smaller than the initiation).
            sendCookie(helloNonce: initiation.helloNonce, to: address, at: now, into: &output)
            return false
        }
        guard initiation.initiatorSession != 0,
              let signingKey = try? Curve25519.Signing.PublicKey(rawRepresentation: initiation.signingKey),
              signingKey.isValidSignature(initiation.signature, for: HandshakeMessage.Initiation.signedBytes(ephemeralKey: initiation.ephemeralKey, session: initiation.initiatorSession)),
              let initiatorEphemeral = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: initiation.ephemeralKey)
        else { return false }
        let peer = PeerID(publicKey: signingKey)
        guard peer != peerID else { return false }
        if let existing = linkByPeer[peer], links[existing].initiatorEphemeral == initiation.ephemeralKey {
            // A repeated initiation (our response was lost, or a replay): answer the same way, create nothing.
            if let response = links[existing].cachedResponse, links[existing].address == address {
                output.datagrams.append(OutgoingDatagram(address: address, bytes: response))
            }
            return true
        }
        guard !recentInitiations.contains(initiation.ephemeralKey) else { return false }
        // Simultaneous connects: the attempt started by the smaller peer id wins.
        if let mine = pending.firstIndex(where: { $0.address == address }) {
            if peerID < peer { return true }
            pending.remove(at: mine)
        }
        // The same race one step later: our attempt won and its link is up, and the larger peer's
        // crossed initiation arrives only now. The peer dropped its attempt when ours reached it
        // and uses our session; answering would move this side alone onto another one.
        if peerID < peer, let existing = linkByPeer[peer], links[existing].isInitiator,
           now - links[existing].establishedAt < configuration.connectTimeout {
            return true
        }
        // A new peer is admitted only under the caps (a known peer's fresh handshake replaces its link).
        if linkByPeer[peer] == nil, !hasRoomForLink(from: address) {
            guard links.count >= configuration.maxLinks, hostLinkCount(address.sourceHost) < configuration.maxLinksPerHost,
                  let evicted = evictableLink() else {
                counters.initiationsRefusedAtCap += 1
                return false
            }
            links[evicted].closePending = true
            links[evicted].flush(at: now, into: &output)
            removeLink(at: evicted, reason: .closedLocally, into: &output)
            counters.linksEvictedAtCap += 1
        }
        let ephemeral = makeEphemeral()
        let responderEphemeral = Array(ephemeral.publicKey.rawRepresentation)
        let session = freshSession()
        guard let keys = sessionKeys(
            ephemeral: ephemeral, peerEphemeral: initiatorEphemeral, initiatorEphemeral: initiation.ephemeralKey,
            responderEphemeral: responderEphemeral, initiatorSession: initiation.initiatorSession, responderSession: session)
        else { return false }
        let signature = identity.sign(HandshakeMessage.Response.signedBytes(
            initiatorEphemeral: initiation.ephemeralKey, responderEphemeral: responderEphemeral,
            initiatorSession: initiation.initiatorSession, responderSession: session))
        let response = sealHandshake(.response(.init(
            responderSession: session, signingKey: Array(identity.publicKey.rawRepresentation),
            ephemeralKey: responderEphemeral, signature: signature)), session: initiation.initiatorSession, nonce: entropy.next())
        var link = LinkCore(
            peer: peer, address: address, localSession: session, remoteSession: initiation.initiatorSession,
            sendKey: keys.responderToInitiator, receiveKey: keys.initiatorToResponder,
            initiatorEphemeral: initiation.ephemeralKey, isInitiator: false, configuration: configuration, now: now)
        link.cachedResponse = response
        link.peerKey = signingKey
        if recentInitiations.count >= 256 { recentInitiations.removeFirst() }
        recentInitiations.append(initiation.ephemeralKey)
        output.datagrams.append(OutgoingDatagram(address: address, bytes: response))
        addLink(link, into: &output)
        return true
    }

    /// Whether a link from a new peer at `address` fits under the total and per-host caps.
    func hasRoomForLink(from address: Address) -> Bool {
        links.count < configuration.maxLinks && hostLinkCount(address.sourceHost) < configuration.maxLinksPerHost
    }

    func hostLinkCount(_ host: Address) -> Int {
        links.reduce(0) { $0 + ($1.address.sourceHost == host ? 1 : 0) }
    }

    /// The link to close for a newcomer at the total cap: not protected and not opened by us;
    /// from the source host holding the most such links, the oldest of them. Nil if none.
    func evictableLink() -> Int? {
        var candidates = links.indices.filter { !links[$0].isInitiator && !isProtected(links[$0].peer) }
            .map { (host: links[$0].address.sourceHost.cookieBytes, since: links[$0].establishedAt, index: $0) }
        guard !candidates.isEmpty else { return nil }
        // Grouped by host (its canonical bytes), oldest first within each.
        candidates.sort {
            $0.host != $1.host ? $0.host.lexicographicallyPrecedes($1.host) : ($0.since, $0.index) < ($1.since, $1.index)
        }
        var best: (count: Int, since: Timestamp, index: Int)?
        var start = 0
        while start < candidates.count {
            var end = start
            while end < candidates.count, candidates[end].host == candidates[start].host { end += 1 }
            // Within a host the first is its oldest link.
            let run = (count: end - start, since: candidates[start].since, index: candidates[start].index)
            if best.map({ run.count > $0.count || (run.count == $0.count && run.since < $0.since) }) ?? true { best = run }
            start = end
        }
        return best?.index
    }

    mutating func receiveResponse(_ response: HandshakeMessage.Response, session: UInt32, from address: Address, at now: Timestamp, into output: inout EndpointOutput<Address>) -> Bool {
        guard let index = pending.firstIndex(where: { $0.localSession == session && $0.stage == .initiation && $0.address == address }),
              response.responderSession != 0,
              let signingKey = try? Curve25519.Signing.PublicKey(rawRepresentation: response.signingKey),
              let responderEphemeral = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: response.ephemeralKey)
        else { return false }
        let attempt = pending[index]
        let initiatorEphemeral = Array(attempt.ephemeral.publicKey.rawRepresentation)
        let signed = HandshakeMessage.Response.signedBytes(
            initiatorEphemeral: initiatorEphemeral, responderEphemeral: response.ephemeralKey,
            initiatorSession: session, responderSession: response.responderSession)
        guard signingKey.isValidSignature(response.signature, for: signed) else { return false }
        let peer = PeerID(publicKey: signingKey)
        guard peer != peerID,
              let keys = sessionKeys(
                ephemeral: attempt.ephemeral, peerEphemeral: responderEphemeral, initiatorEphemeral: initiatorEphemeral,
                responderEphemeral: response.ephemeralKey, initiatorSession: session, responderSession: response.responderSession)
        else { return false }
        pending.remove(at: index)
        var link = LinkCore(
            peer: peer, address: address, localSession: session, remoteSession: response.responderSession,
            sendKey: keys.initiatorToResponder, receiveKey: keys.responderToInitiator,
            initiatorEphemeral: initiatorEphemeral, isInitiator: true, configuration: configuration, now: now)
        // The initiation's round trip is the link's first RTT sample, so a message lost right
        // after the handshake is resent in a few round trips, not after the 1 s initial timeout.
        if attempt.initiationsSent == 1 { link.seedRoundTrip(now - attempt.lastSentAt) }
        link.peerKey = signingKey
        addLink(link, into: &output)
        return true
    }

    func sessionKeys(
        ephemeral: Curve25519.KeyAgreement.PrivateKey, peerEphemeral: Curve25519.KeyAgreement.PublicKey,
        initiatorEphemeral: [UInt8], responderEphemeral: [UInt8], initiatorSession: UInt32, responderSession: UInt32
    ) -> (initiatorToResponder: SymmetricKey, responderToInitiator: SymmetricKey)? {
        guard let shared = try? ephemeral.sharedSecretFromKeyAgreement(with: peerEphemeral) else { return nil }
        var info = WireWriter(capacity: 96)
        info.append(Array("meshplay-session-v1".utf8))
        info.append(initiatorEphemeral)
        info.append(responderEphemeral)
        info.uint32(initiatorSession)
        info.uint32(responderSession)
        let material = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: credentials.meshKeyBytes, sharedInfo: info.bytes, outputByteCount: 64)
        let bytes = material.withUnsafeBytes { Array($0) }
        return (SymmetricKey(data: bytes[0..<32]), SymmetricKey(data: bytes[32..<64]))
    }
}
