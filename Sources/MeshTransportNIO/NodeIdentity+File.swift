@preconcurrency import Crypto
import Foundation
import MeshTransport

/// A node's keys kept in a file, so a restarted process is the same node (the same peer id):
/// what a player needs to take its seat again after a crash (`meshplay bot --rejoin`).
///
/// The file is text: the line `meshplay identity v1`, then the 32-byte Ed25519 private key
/// in hex. It is created with mode 0600 when missing, written to a temporary name and renamed,
/// so a killed process never leaves half a key behind.
extension NodeIdentity {
    /// What a bad identity file is, in words naming the file.
    public struct FileError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    static let fileHeader = "meshplay identity v1"

    /// The identity in `path`, created there (from `entropy`) when the file does not exist.
    public static func loadOrCreate(path: String, entropy: inout some EntropySource) throws -> NodeIdentity {
        if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        let identity = NodeIdentity(entropy: &entropy)
        let text = "\(fileHeader)\n\(identity.signingKey.rawRepresentation.map { String(format: "%02x", $0) }.joined())\n"
        let temporary = "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw FileError(description: "cannot create \(path): the folder is missing or not writable")
        }
        do {
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            // Another process created it first: use theirs.
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
            throw FileError(description: "cannot create \(path): \(error.localizedDescription)")
        }
        return identity
    }

    /// The identity in `path`; throws naming the file and what is wrong with it.
    public static func load(path: String) throws -> NodeIdentity {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(description: "cannot open \(path): it cannot be read")
        }
        guard data.count <= 256, let text = String(data: data, encoding: .utf8) else {
            throw FileError(description: "\(path) is not a meshplay identity file")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == 2, lines[0] == fileHeader[...], lines[1].count == 64 else {
            throw FileError(description: "\(path) is not a meshplay identity file (want '\(fileHeader)' and 64 hex digits)")
        }
        var bytes: [UInt8] = []
        var digits = lines[1].makeIterator()
        while let high = digits.next(), let low = digits.next() {
            guard let byte = UInt8(String([high, low]), radix: 16) else {
                throw FileError(description: "\(path) is not a meshplay identity file (its key is not hex)")
            }
            bytes.append(byte)
        }
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw FileError(description: "\(path) holds no valid key")
        }
        return NodeIdentity(signingKey: key)
    }
}
