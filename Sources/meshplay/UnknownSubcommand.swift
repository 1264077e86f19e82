import ArgumentParser

/// A word where a subcommand belongs that names none, such as `meshplay plya` or
/// `meshplay bench transprt`, with the subcommand it most likely meant.
///
/// ArgumentParser says only "Unexpected argument 'plya'"; it suggests close names for
/// options but not for subcommands. meshplay's commands that have subcommands take no
/// arguments of their own, so such a word is always a mistake.
struct UnknownSubcommand {
    /// The command whose subcommand is wrong: its usage line is the one to show.
    var parent: ParsableCommand.Type
    /// The word as given.
    var word: String
    /// The subcommand name it is closest to, when one is close enough to be a slip.
    var suggestion: String?

    /// Walks `arguments` down the subcommand tree from `root`; nil when every word in a
    /// subcommand's place names one (an option or `help` ends the walk: ArgumentParser handles those).
    static func find(in arguments: [String], root: ParsableCommand.Type) -> UnknownSubcommand? {
        var node = root
        for word in arguments {
            let children = node.configuration.subcommands
            guard !children.isEmpty, node.configuration.defaultSubcommand == nil, !word.hasPrefix("-"), word != "help" else { return nil }
            guard let child = children.first(where: { names(of: $0).contains(word) }) else {
                let suggestion = closest(to: word, among: children.compactMap { $0.configuration.commandName })
                return UnknownSubcommand(parent: node, word: word, suggestion: suggestion)
            }
            node = child
        }
        return nil
    }

    /// "unknown subcommand 'plya'. Did you mean 'play'?", or the list of subcommands.
    var reason: String {
        if let suggestion { return "unknown subcommand '\(word)'. Did you mean '\(suggestion)'?" }
        let names = parent.configuration.subcommands.compactMap { $0.configuration.commandName }
        return "unknown subcommand '\(word)'; the subcommands are \(names.joined(separator: ", "))"
    }

    private static func names(of command: ParsableCommand.Type) -> [String] {
        command.configuration.commandName.map { [$0] + command.configuration.aliases } ?? command.configuration.aliases
    }

    /// The name within a typo's reach of `word` (at most 2 edits, fewer for short names, so
    /// "xyz" is not taken for "sim"), else the only name `word` begins.
    static func closest(to word: String, among names: [String]) -> String? {
        let scored = names.map { (name: $0, distance: editDistance(word, $0)) }
            .filter { $0.distance <= min(2, max(1, $0.name.count / 2)) }
        if let best = scored.min(by: { $0.distance < $1.distance }) { return best.name }
        let extended = names.filter { word.count >= 2 && $0.hasPrefix(word) }
        return extended.count == 1 ? extended[0] : nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours ("plya" is one edit from "play") each count one.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
