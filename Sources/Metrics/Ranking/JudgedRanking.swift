/// One ranked list of items joined with its relevance judgements: the grade at every rank, the
/// grades of the ideal ordering of all known relevant items, and how many items count as relevant.
/// Every ranking metric is a function of this value, so online impressions and offline TREC runs share
/// one implementation.
public struct JudgedRanking: Sendable, Hashable {
    /// Grade of the item at each rank (index 0 is rank 1); 0 for unjudged items and for repeats.
    public let grades: [Double]
    /// Positive grades of every judged item, in descending order: the ideal ranking behind IDCG.
    public let idealGrades: [Double]
    /// Judged items, ranked or not, with a positive grade reaching `relevanceThreshold`: the
    /// denominator of recall and AP.
    public let relevantCount: Int
    /// The smallest grade that counts as relevant (trec_eval's `-l`, default 1). Grades ≤ 0 are never
    /// relevant, so a threshold at or below the smallest positive grade means "any positive grade"
    /// (DESIGN.md's r_i > 0 for fractional online gains: pass `.leastNonzeroMagnitude`).
    public let relevanceThreshold: Double

    /// A ranking from grades already in rank order and the grades of all judged items.
    /// - Parameters:
    ///   - grades: the grade at each rank, best rank first (unjudged items 0).
    ///   - judgedGrades: the grades of every judged item for this query or impression, in any order.
    ///   - relevanceThreshold: the smallest grade that counts as relevant.
    public init(grades: [Double], judgedGrades: [Double], relevanceThreshold: Double = 1) {
        self.grades = grades
        self.idealGrades = judgedGrades.filter { $0 > 0 }.sorted(by: >)
        self.relevantCount = judgedGrades.count { $0 >= relevanceThreshold && $0 > 0 }
        self.relevanceThreshold = relevanceThreshold
    }

    /// Joins a ranked list of items with their judgements. An item ranked again later keeps its
    /// position but earns nothing the second time, so repeating a relevant item cannot inflate a metric.
    /// Judged items absent from the ranking still count in the ideal ordering and in `relevantCount`.
    public init<Item: Hashable>(ranking: [Item], judgements: [Item: Double], relevanceThreshold: Double = 1) {
        var seen = Set<Item>(minimumCapacity: ranking.count)
        var grades: [Double] = []
        grades.reserveCapacity(ranking.count)
        for item in ranking {
            let isFirstOccurrence = seen.insert(item).inserted
            grades.append(isFirstOccurrence ? max(0, judgements[item] ?? 0) : 0)
        }
        self.init(grades: grades, judgedGrades: Array(judgements.values), relevanceThreshold: relevanceThreshold)
    }

    /// Whether the item at zero-based `index` counts as relevant.
    @inline(__always)
    func isRelevant(at index: Int) -> Bool { grades[index] >= relevanceThreshold && grades[index] > 0 }
}
