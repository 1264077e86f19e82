import Lobby
import MeshTransport
import MeshplayCore

/// What the room probe (``RoomProbe``) said about one address, as the room list uses it.
public struct ProbedAddress: Equatable, Sendable {
    /// The answer.
    public enum Answer: Equatable, Sendable {
        /// The node is in this room (its signed answer verified); `host` is the room's host, `fromHost` whether the host itself answered.
        case room(RoomAdvert, host: PeerID, fromHost: Bool)
        /// The node answered: it is in no room.
        case noRoom
        /// No link or no answer in time.
        case failed
    }

    /// The address asked, `HOST:PORT` as the rows show it.
    public var address: String
    public var answer: Answer
    /// The link's smoothed round trip, whole milliseconds rounded up; nil when not measured.
    public var pingMilliseconds: Int?
    /// How the probe's link ran (direct, punched); nil without one.
    public var path: LinkPath?

    public init(address: String, answer: Answer, pingMilliseconds: Int?, path: LinkPath? = nil) {
        self.address = address
        self.answer = answer
        self.pingMilliseconds = pingMilliseconds
        self.path = path
    }

    /// The lobby's view of one probe result.
    public init<Address>(_ result: RoomProbe<Address>.Result) {
        address = result.address.description
        switch result.outcome {
        case .room(let summary):
            answer = .room(RoomAdvert(summary), host: summary.host, fromHost: summary.host == result.peer)
        case .noRoom:
            answer = .noRoom
        case .noAnswer, .unreachable:
            answer = .failed
        }
        pingMilliseconds = result.roundTrip.map { Int(($0.nanoseconds + 999_999) / 1_000_000) }
        path = result.path
    }
}

extension RoomDirectory.Heard {
    /// Folds the probe's answers into what the lookups heard:
    /// - an address whose node is in a room gets that room's details and the measured ping;
    /// - an address whose node answered "no room" is not a room and is dropped;
    /// - an address the probe could not ask keeps what it had (a LAN advert, or nothing) and no ping;
    /// - a room reached through several of its members is listed once, through its host when the host was asked.
    public static func merging(_ heard: [Self], probes: [ProbedAddress]) -> [Self] {
        var merged: [Self] = []
        var hosts: [(host: PeerID, index: Int, fromHost: Bool)] = []
        for var answer in heard {
            guard let probe = probes.first(where: { $0.address == answer.address }) else {
                merged.append(answer)
                continue
            }
            switch probe.answer {
            case .failed:
                answer.pingMilliseconds = nil
                answer.path = nil
                merged.append(answer)
            case .noRoom:
                continue
            case .room(let advert, let host, let fromHost):
                answer.probed = advert
                answer.pingMilliseconds = probe.pingMilliseconds
                answer.path = probe.path
                if let seen = hosts.firstIndex(where: { $0.host == host }) {
                    // The same room again: keep the row reached through the host itself.
                    if fromHost, !hosts[seen].fromHost {
                        merged[hosts[seen].index] = answer
                        hosts[seen].fromHost = true
                    }
                    continue
                }
                hosts.append((host, merged.count, fromHost))
                merged.append(answer)
            }
        }
        return merged
    }
}
