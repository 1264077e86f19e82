import Bots
import Lobby
import NIOConcurrencyHelpers

/// The hosting bot's room advert, as the LAN announcer's details (read on the announcer's loop).
final class RoomAdvertBox: Sendable {
    private let latest = NIOLockedValueBox<[UInt8]>([])

    /// The newest advert's bytes (empty until the room exists).
    var bytes: [UInt8] { latest.withLockedValue { $0 } }

    /// Reads the host's room every half second until cancelled (members come and go).
    func follow(_ host: UDPBotShell) async {
        while !Task.isCancelled {
            let summary = await host.roomSummary()
            latest.withLockedValue { $0 = summary.map { RoomAdvert($0).encoded } ?? [] }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
