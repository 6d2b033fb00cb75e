import Foundation
import Metrics
import Spec
import Stats

/// What `abctl report` shows for an interleaving experiment: per arm the clicks credited to
/// it, and per ordered pair of arms how many units preferred each (more credited clicks over
/// all their interleaved impressions), the preference share with a Wilson interval and a
/// two-sided sign test with ties excluded (docs/interleaving.md).
struct InterleavingReport: Codable, Equatable {
    var experiment: String
    var version: Int
    var since: Date?
    var until: Date?
    var generatedAt: Date
    /// The arms, in spec order.
    var arms: [String]
    /// Units with at least one interleaved impression in the range.
    var units: Int
    var impressions: Int
    /// Confidence of the intervals, 1 − the spec's alpha.
    var confidence: Double
    var alpha: Double
    /// The spec's correction across pairs (holm, benjamini_hochberg or none); moot with two arms.
    var correction: String
    var credits: [ArmCredit]
    var preferences: [Preference]

    /// Clicks credited to one arm, summed over all units.
    struct ArmCredit: Codable, Equatable {
        var arm: String
        var creditedClicks: Int
    }

    /// How units split between `arm` and `opponent`.
    struct Preference: Codable, Equatable {
        var arm: String
        var opponent: String
        /// Units preferring `arm`.
        var wins: Int
        /// Units preferring `opponent`.
        var losses: Int
        /// Units with equal credit for both (including no clicks).
        var ties: Int
        /// wins / (wins + losses); 0.5 when no unit decided.
        var share: Double
        var lower: Double
        var upper: Double
        /// Two-sided exact sign test of share = 1/2, ties excluded.
        var pValue: Double
        /// The p-value adjusted across the unordered pairs by the spec's correction; equal to
        /// `pValue` with two arms or no correction.
        var adjustedPValue: Double
        /// Whether `adjustedPValue` is below alpha.
        var isSignificant: Bool
    }

    /// Unit counts of one ordered pair of arms, as the credit SQL yields them.
    struct PairCounts: Equatable {
        var arm: String
        var opponent: String
        var wins: Int
        var losses: Int
        var ties: Int
    }

    /// The preferences of every ordered pair in `pairs`, ordered by the arms' spec order, with
    /// intervals at 1 − alpha and p-values adjusted across unordered pairs by `correction` (nil: none).
    static func preferences(arms: [String], pairs: [PairCounts], alpha: Double, correction: MultipleTestingMethod?) -> [Preference] {
        let order = Dictionary(arms.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let sorted = pairs.sorted { (order[$0.arm] ?? .max, order[$0.opponent] ?? .max) < (order[$1.arm] ?? .max, order[$1.opponent] ?? .max) }
        let measured = sorted.map { PairwisePreference(wins: $0.wins, losses: $0.losses, ties: $0.ties, confidence: 1 - alpha) }
        // A pair and its reverse share one sign test: adjust over unordered pairs only.
        let unordered = sorted.indices.filter { (order[sorted[$0].arm] ?? 0) < (order[sorted[$0].opponent] ?? 0) }
        let raw = unordered.map { measured[$0].signTestPValue }
        let adjusted = correction.map { MultipleTesting.adjust(raw, method: $0) } ?? raw
        var adjustedByPair: [String: Double] = [:]
        for (index, value) in zip(unordered, adjusted) {
            adjustedByPair[sorted[index].arm + "\u{1F}" + sorted[index].opponent] = value
            adjustedByPair[sorted[index].opponent + "\u{1F}" + sorted[index].arm] = value
        }
        return zip(sorted, measured).map { pair, preference in
            let adjustedPValue = adjustedByPair[pair.arm + "\u{1F}" + pair.opponent] ?? preference.signTestPValue
            return Preference(
                arm: pair.arm,
                opponent: pair.opponent,
                wins: pair.wins,
                losses: pair.losses,
                ties: pair.ties,
                share: preference.share,
                lower: preference.interval.lowerBound,
                upper: preference.interval.upperBound,
                pValue: preference.signTestPValue,
                adjustedPValue: adjustedPValue,
                isSignificant: adjustedPValue < alpha
            )
        }
    }
}
