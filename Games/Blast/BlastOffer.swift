import MeshplayCore

extension BlastRules {
    /// Blast as the command line and the client offer it: the built-in arenas, the standard
    /// configuration with the match's length.
    public static let offer = GameOffer(
        identity: identity, name: "blast", builtinMaps: BlastMap.builtinNames, defaultMap: "yard",
        matchTicks: BlastConfig.Limits.matchTicks, defaultTickRate: 30, playerLimit: playerLimit,
        // Built-in maps come smallest first: the first that seats everyone.
        mapSeating: { players in BlastMap.builtinNames.first { (BlastMap.builtin($0)?.spawns.count ?? 0) >= max(players, 1) } },
        prepare: { name, matchTicks in
            let map: BlastMap
            do { map = try BlastMap.load(nameOrPath: name) } catch { throw GameSetupError("\(error)") }
            guard BlastConfig.Limits.matchTicks.contains(matchTicks) else {
                throw GameSetupError("a blast match lasts \(BlastConfig.Limits.matchTicks.lowerBound)-\(BlastConfig.Limits.matchTicks.upperBound) ticks, not \(matchTicks)")
            }
            let rules = try BlastRules(config: .standard(map: map, matchTicks: matchTicks))
            return PreparedMatch(mapName: map.name, seats: rules.maxPlayers, configBytes: rules.config.canonicalBytes)
        })
}
