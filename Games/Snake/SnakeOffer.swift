import MeshplayCore

extension SnakeRules {
    /// Snake as the command line and the client offer it: the built-in arenas, the standard
    /// configuration with the match's length.
    public static let offer = GameOffer(
        identity: identity, name: "snake", builtinMaps: SnakeMap.builtinNames, defaultMap: "open",
        matchTicks: SnakeConfig.Limits.matchTicks, defaultTickRate: 12, playerLimit: playerLimit,
        mapSeating: { players in
            // The fewest seats that do, ties in the built-in order ("open" before "walled").
            let maps = SnakeMap.builtinNames.enumerated().compactMap { index, key in
                SnakeMap.builtin(key).map { (key: key, seats: min($0.spawns.count, playerLimit), index: index) }
            }
            return maps.sorted { ($0.seats, $0.index) < ($1.seats, $1.index) }.first { $0.seats >= players }?.key
        },
        prepare: { name, matchTicks in
            let map: SnakeMap
            do { map = try SnakeMap.load(nameOrPath: name) } catch { throw GameSetupError("\(error)") }
            guard SnakeConfig.Limits.matchTicks.contains(matchTicks) else {
                throw GameSetupError("a snake match lasts \(SnakeConfig.Limits.matchTicks.lowerBound)-\(SnakeConfig.Limits.matchTicks.upperBound) ticks, not \(matchTicks)")
            }
            let rules = try SnakeRules(config: .standard(map: map, matchTicks: matchTicks))
            return PreparedMatch(mapName: map.name, seats: rules.maxPlayers, configBytes: rules.config.canonicalBytes)
        })
}
