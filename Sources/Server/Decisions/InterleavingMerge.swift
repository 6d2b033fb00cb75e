import Foundation
import Metrics
import Stats

/// Merges the arms' rankings of one interleaved decision with Team-Draft (multileaving past two
/// arms), drawing the coin flips from a generator seeded by the request id, so that the list
/// shown for a logged impression can be rebuilt exactly from its rankings and request id.
enum InterleavingMerge {
    /// One merged position: the item, the score its own arm gave it, and that arm (its team).
    struct Pick: Sendable, Equatable {
        var itemID: String
        var score: Double
        var team: String
    }

    /// The merged list of at most `k` items from `rankings` (one per arm in `arms`, best first).
    /// Scores from different strategies are not comparable; each item keeps its team's score.
    static func merge(rankings: [[(itemID: String, score: Double)]], arms: [String], k: Int, requestID: UUID) -> [Pick] {
        precondition(rankings.count == arms.count, "one ranking per arm")
        var generator = SplitMix64(seed: seed(for: requestID))
        let merged = TeamDraft.multileave(rankings.map { $0.map(\.itemID) }, length: k, using: &generator)
        let scores: [[String: Double]] = rankings.map { ranking in
            Dictionary(ranking.map { ($0.itemID, $0.score) }, uniquingKeysWith: { first, _ in first })
        }
        return zip(merged.items, merged.contributingArms).map { item, arm in
            Pick(itemID: item, score: scores[arm][item] ?? 0, team: arms[arm])
        }
    }

    /// The generator's seed: the request id's two 64-bit halves, exclusive-or'ed.
    static func seed(for requestID: UUID) -> UInt64 {
        withUnsafeBytes(of: requestID.uuid) { bytes in
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 {
                high = high << 8 | UInt64(bytes[index])
                low = low << 8 | UInt64(bytes[index + 8])
            }
            return high ^ low
        }
    }
}
