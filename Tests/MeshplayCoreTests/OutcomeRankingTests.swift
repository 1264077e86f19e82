import MeshplayCore
import Testing

@Suite("Ranking players into placings")
struct OutcomeRankingTests {
    /// Scores per slot; higher ranks above, equal scores tie.
    func placings(_ scores: [Int]) -> [GameOutcome.Placing] {
        GameOutcome.placings(players: scores.count, score: { scores[$0.index] }, ranksAbove: { scores[$0.index] > scores[$1.index] })
    }

    @Test func bestFirstWithEqualsSharingAPlaceInSlotOrder() {
        let ranked = placings([3, 7, 3, 9, 7])
        #expect(ranked.map(\.slot.index) == [3, 1, 4, 0, 2])
        #expect(ranked.map(\.place) == [1, 2, 2, 4, 4])
        #expect(ranked.map(\.score) == [9, 7, 7, 3, 3])
        #expect(GameOutcome.soleWinner(of: ranked) == PlayerSlot(3))
    }

    @Test func aSharedFirstPlaceIsADraw() {
        let ranked = placings([5, 2, 5])
        #expect(ranked.map(\.place) == [1, 1, 3])
        #expect(GameOutcome.soleWinner(of: ranked) == nil)
    }

    @Test func noPlayersMeansNoPlacingsAndNoWinner() {
        #expect(placings([]).isEmpty)
        #expect(GameOutcome.soleWinner(of: []) == nil)
        #expect(placings([4]).map(\.place) == [1])
    }
}
