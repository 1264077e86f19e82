/// The "create a room" form: map, bots, match length and tick rate.
public struct CreateRoomForm: Hashable, Sendable {
    /// What a key asks for.
    public enum Action: Hashable, Sendable {
        case create(RoomChoices)
        case cancel
    }

    /// The form's rows.
    public enum Field: Int, CaseIterable, Sendable {
        case map, bots, length, tickRate
    }

    public let mapNames: [String]
    /// Seats per map, parallel to `mapNames`.
    public let seats: [Int]
    public var mapIndex = 0
    public var bots = 3
    public var lengthIndex = 1
    public var tickRateIndex: Int
    public var field = Field.map

    public init(mapNames: [String], seats: [Int], initial: RoomChoices) {
        self.mapNames = mapNames
        self.seats = seats
        mapIndex = mapNames.firstIndex(of: initial.mapName) ?? 0
        bots = initial.bots
        lengthIndex = RoomChoices.matchLengthChoices.firstIndex(of: initial.matchSeconds) ?? 1
        tickRateIndex = RoomChoices.tickRateChoices.firstIndex(of: initial.tickRate)
            ?? RoomChoices.tickRateChoices.firstIndex(of: RoomChoices.defaultTickRate)!
        clampBots()
    }

    /// The most bots the chosen map leaves room for (one seat is the player's).
    public var maxBots: Int { max(0, (seats.indices.contains(mapIndex) ? seats[mapIndex] : 1) - 1) }

    public var choices: RoomChoices {
        RoomChoices(mapName: mapNames[mapIndex], bots: bots,
                     matchSeconds: RoomChoices.matchLengthChoices[lengthIndex],
                     tickRate: RoomChoices.tickRateChoices[tickRateIndex])
    }

    /// Applies one key; returns what it asks of the app, if anything.
    public mutating func handle(_ key: Key) -> Action? {
        switch key {
        case .up, .backTab: field = Field(rawValue: (field.rawValue + Field.allCases.count - 1) % Field.allCases.count)!
        case .down, .tab: field = Field(rawValue: (field.rawValue + 1) % Field.allCases.count)!
        case .left, .character("-"): change(by: -1)
        case .right, .character("+"), .character(" "): change(by: 1)
        case .enter: return .create(choices)
        case .escape, .character("q"): return .cancel
        default: break
        }
        return nil
    }

    private mutating func change(by step: Int) {
        switch field {
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
        let rect = Rect(x: (buffer.width - 50) / 2, y: (buffer.height - 12) / 2, width: 50, height: 12)
        buffer.fill(rect)
        buffer.box(rect, title: "Create a room")
        let rows: [(Field, String, String)] = [
            (.map, "Map", "\(mapNames[mapIndex]) (\(seats[mapIndex]) seats)"),
            (.bots, "Bots", "\(bots)"),
            (.length, "Match length", formatDuration(RoomChoices.matchLengthChoices[lengthIndex])),
            (.tickRate, "Tick rate", "\(RoomChoices.tickRateChoices[tickRateIndex]) Hz"),
        ]
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
