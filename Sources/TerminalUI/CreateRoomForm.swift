/// The "create a room" form: the game (when there are several), map, bots, match length and tick rate.
public struct CreateRoomForm: Hashable, Sendable {
    /// What a key asks for.
    public enum Action: Hashable, Sendable {
        case create(RoomChoices)
        case cancel
    }

    /// The form's rows.
    public enum Field: Int, CaseIterable, Sendable {
        case game, map, bots, length, tickRate
    }

    /// Every game on offer with its maps.
    public let games: [GameMenu]
    public var gameIndex = 0
    public var mapIndex = 0
    public var bots = 3
    public var lengthIndex = 1
    public var tickRateIndex: Int
    public var field = Field.map

    /// The chosen game's maps.
    public var mapNames: [String] { games[gameIndex].mapNames }
    /// Seats per map of the chosen game, parallel to ``mapNames``.
    public var seats: [Int] { games[gameIndex].seats }

    /// The rows shown: the game's row only when there is a choice.
    var fields: [Field] { games.count > 1 ? Field.allCases : Field.allCases.filter { $0 != .game } }

    /// A form for one game.
    public init(mapNames: [String], seats: [Int], initial: RoomChoices) {
        self.init(games: [GameMenu(name: initial.game ?? "", mapNames: mapNames, seats: seats)], initial: initial)
    }

    /// A form offering `games`, starting from `initial`.
    public init(games: [GameMenu], initial: RoomChoices) {
        precondition(!games.isEmpty, "a form offers at least one game")
        self.games = games
        gameIndex = games.firstIndex { $0.name == initial.game } ?? 0
        mapIndex = games[gameIndex].mapNames.firstIndex(of: initial.mapName) ?? 0
        bots = initial.bots
        lengthIndex = RoomChoices.matchLengthChoices.firstIndex(of: initial.matchSeconds) ?? 1
        tickRateIndex = RoomChoices.tickRateChoices.firstIndex(of: initial.tickRate)
            ?? RoomChoices.tickRateChoices.firstIndex(of: RoomChoices.defaultTickRate)!
        clampBots()
    }

    /// The most bots the chosen map leaves room for (one seat is the player's).
    public var maxBots: Int { max(0, (seats.indices.contains(mapIndex) ? seats[mapIndex] : 1) - 1) }

    public var choices: RoomChoices {
        RoomChoices(game: games.count > 1 || !games[gameIndex].name.isEmpty ? games[gameIndex].name : nil, mapName: mapNames[mapIndex], bots: bots,
                     matchSeconds: RoomChoices.matchLengthChoices[lengthIndex],
                     tickRate: RoomChoices.tickRateChoices[tickRateIndex])
    }

    /// Applies one key; returns what it asks of the app, if anything.
    public mutating func handle(_ key: Key) -> Action? {
        switch key {
        case .up, .backTab: moveField(by: -1)
        case .down, .tab: moveField(by: 1)
        case .left, .character("-"): change(by: -1)
        case .right, .character("+"), .character(" "): change(by: 1)
        case .enter: return .create(choices)
        case .escape, .character("q"): return .cancel
        default: break
        }
        return nil
    }

    private mutating func moveField(by step: Int) {
        let rows = fields
        let at = rows.firstIndex(of: field) ?? 0
        field = rows[(at + step + rows.count) % rows.count]
    }

    private mutating func change(by step: Int) {
        switch field {
        case .game:
            gameIndex = (gameIndex + step + games.count) % games.count
            mapIndex = 0
            // Each game's timings are in ticks: start from the rate it is meant for.
            tickRateIndex = RoomChoices.tickRateChoices.firstIndex(of: games[gameIndex].defaultTickRate) ?? tickRateIndex
        case .map: mapIndex = (mapIndex + step + mapNames.count) % mapNames.count
        case .bots: bots = min(maxBots, max(0, bots + step))
        case .length: lengthIndex = min(RoomChoices.matchLengthChoices.count - 1, max(0, lengthIndex + step))
        case .tickRate: tickRateIndex = min(RoomChoices.tickRateChoices.count - 1, max(0, tickRateIndex + step))
        }
        clampBots()
    }

    private mutating func clampBots() { bots = min(maxBots, max(0, bots)) }

    /// Draws the screen into `buffer` (laid out for 80x24 and larger).
    public func draw(into buffer: inout CellBuffer) {
        let height = fields.count * 2 + 4
        let rect = Rect(x: (buffer.width - 50) / 2, y: (buffer.height - height) / 2, width: 50, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: "Create a room")
        let all: [(Field, String, String)] = [
            (.game, "Game", games[gameIndex].name),
            (.map, "Map", "\(mapNames[mapIndex]) (\(seats[mapIndex]) seats)"),
            (.bots, "Bots", "\(bots)"),
            (.length, "Match length", formatDuration(RoomChoices.matchLengthChoices[lengthIndex])),
            (.tickRate, "Tick rate", "\(RoomChoices.tickRateChoices[tickRateIndex]) Hz"),
        ]
        let rows = all.filter { fields.contains($0.0) }
        for (index, row) in rows.enumerated() {
            let y = rect.y + 2 + index * 2
            let focused = row.0 == field
            buffer.write(focused ? ">" : " ", x: rect.x + 2, y: y, style: TextStyle(.selection, bold: true))
            buffer.write(row.1, x: rect.x + 4, y: y, style: TextStyle(.muted))
            let arrowLeft: String = buffer.asciiOnly ? "<" : "◀"
            let arrowRight: String = buffer.asciiOnly ? ">" : "▶"
            buffer.write("\(arrowLeft) \(row.2) \(arrowRight)", x: rect.x + 20, y: y,
                         style: focused ? TextStyle(.selection, bold: true, reverse: true) : .plain, maxColumns: rect.width - 22)
        }
        buffer.write("Enter create, Esc cancel, arrows change", x: rect.x + 2, y: rect.maxY - 2, style: TextStyle(.muted), maxColumns: rect.width - 4)
    }
}

/// "2 min", "90 s".
func formatDuration(_ seconds: Int) -> String {
    seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
}
