import ArgumentParser

/// `meshplay play`: the terminal client. The client arrives with issue 7; until then
/// this says so plainly instead of pretending, and points at what does work.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play in the terminal (not built yet: try `meshplay sim`)."
    )

    func run() throws {
        print("""
        meshplay play: the terminal client is not built yet.
        What works today:
          meshplay sim --players 4 --ticks 2000 --seed 7 --record /tmp/a.mpr
          meshplay verify /tmp/a.mpr
        """)
    }
}
