/// Pairwise preferences accumulated over interleaved impressions: for every pair of arms, how many
/// impressions credited more clicks to one than to the other, and how many were ties.
public struct InterleavingTally: Sendable, Hashable {
    /// Number of arms compared.
    public let armCount: Int
    /// `wins[i][j]`: impressions in which arm i earned strictly more clicks than arm j.
    public private(set) var wins: [[Int]]
    /// Impressions recorded.
    public private(set) var impressions = 0

    public init(armCount: Int) {
        self.armCount = armCount
        self.wins = Array(repeating: Array(repeating: 0, count: armCount), count: armCount)
    }

    /// Records one impression's per-arm click credits (from `InterleavedList.credit`).
    public mutating func record(credits: [Int]) {
        precondition(credits.count == armCount, "one credit per arm")
        impressions += 1
        for i in 0..<armCount {
            for j in 0..<armCount where credits[i] > credits[j] { wins[i][j] += 1 }
        }
    }

    /// Records one impression of `list` whose clicked positions (0-based) are `clickedPositions`.
    public mutating func record<Item, Positions: Sequence<Int>>(_ list: InterleavedList<Item>, clickedPositions: Positions) {
        record(credits: list.credit(clickedPositions: clickedPositions))
    }

    /// The preference of arm `i` over arm `j` with a Wilson interval at `confidence`.
    public func preference(of i: Int, over j: Int, confidence: Double = 0.95) -> PairwisePreference {
        PairwisePreference(
            wins: wins[i][j],
            losses: wins[j][i],
            ties: impressions - wins[i][j] - wins[j][i],
            confidence: confidence
        )
    }
}
