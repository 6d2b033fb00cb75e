/// Team-Draft interleaving (Radlinski, Kurup and Joachims 2008) and its multileaving generalisation
/// (Schuth et al. 2014): arms take turns picking their best item not yet shown; the arm with the
/// fewest picks goes next, ties broken uniformly at random, so within each round every order of the
/// arms is equally likely and no arm is favoured by position.
public enum TeamDraft {
    /// Interleaves two rankings into a list of at most `length` items.
    public static func interleave<Item: Hashable & Sendable, G: RandomNumberGenerator>(
        _ first: [Item],
        _ second: [Item],
        length: Int,
        using generator: inout G
    ) -> InterleavedList<Item> {
        multileave([first, second], length: length, using: &generator)
    }

    /// Multileaves any number of rankings into a list of at most `length` items. An arm whose
    /// ranking is exhausted stops picking; the list ends early when every arm is exhausted.
    public static func multileave<Item: Hashable & Sendable, G: RandomNumberGenerator>(
        _ rankings: [[Item]],
        length: Int,
        using generator: inout G
    ) -> InterleavedList<Item> {
        var items: [Item] = []
        var arms: [Int] = []
        var shown = Set<Item>()
        var picks = [Int](repeating: 0, count: rankings.count)
        var cursors = [Int](repeating: 0, count: rankings.count)

        /// Moves an arm's cursor past items already shown; true when it still has an item to offer.
        func hasCandidate(_ arm: Int) -> Bool {
            while cursors[arm] < rankings[arm].count && shown.contains(rankings[arm][cursors[arm]]) { cursors[arm] += 1 }
            return cursors[arm] < rankings[arm].count
        }

        while items.count < max(0, length) {
            let eligible = rankings.indices.filter(hasCandidate)
            guard let fewest = eligible.map({ picks[$0] }).min() else { break }
            let tied = eligible.filter { picks[$0] == fewest }
            let arm = tied[Int(generator.next(upperBound: UInt64(tied.count)))]
            let item = rankings[arm][cursors[arm]]
            items.append(item)
            arms.append(arm)
            shown.insert(item)
            picks[arm] += 1
        }
        return InterleavedList(items: items, contributingArms: arms, armCount: rankings.count)
    }
}
