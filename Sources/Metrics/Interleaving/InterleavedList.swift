/// One interleaved (or multileaved) list shown to a user, remembering which arm contributed each
/// position so clicks can be credited back to the arms.
public struct InterleavedList<Item: Hashable & Sendable>: Sendable, Hashable {
    /// The items in display order.
    public let items: [Item]
    /// For each position, the index of the arm (ranking) that contributed the item.
    public let contributingArms: [Int]
    /// How many rankings were interleaved.
    public let armCount: Int

    public init(items: [Item], contributingArms: [Int], armCount: Int) {
        precondition(items.count == contributingArms.count, "one contributing arm per item")
        self.items = items
        self.contributingArms = contributingArms
        self.armCount = armCount
    }

    /// Clicks credited to each arm: a click on position p (0-based) counts for the arm that
    /// contributed it. Positions outside the list are ignored; a position clicked twice counts once.
    public func credit<Positions: Sequence<Int>>(clickedPositions: Positions) -> [Int] {
        var credits = [Int](repeating: 0, count: armCount)
        var seen = Set<Int>()
        for position in clickedPositions where contributingArms.indices.contains(position) && seen.insert(position).inserted {
            credits[contributingArms[position]] += 1
        }
        return credits
    }
}
