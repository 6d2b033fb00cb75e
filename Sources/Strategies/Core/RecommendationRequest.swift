/// What a caller asks a strategy for: the unit, its session context, what to leave out and how many.
public struct RecommendationRequest: Sendable, Hashable {
    /// The user or session id.
    public var unit: String
    /// Items the unit touched in this session, most recent last; added to what the strategy remembers.
    public var recentItems: [String]
    /// Items never to return (already bought, already shown).
    public var excludedItems: Set<String>
    /// How many items to return at most.
    public var k: Int
    /// Only items passing this filter are returned; nil allows every item.
    public var filter: CandidateFilter?

    public init(
        unit: String,
        recentItems: [String] = [],
        excludedItems: Set<String> = [],
        k: Int = 10,
        filter: CandidateFilter? = nil
    ) {
        self.unit = unit
        self.recentItems = recentItems
        self.excludedItems = excludedItems
        self.k = k
        self.filter = filter
    }
}

/// A condition on item attributes that candidates must meet.
public enum CandidateFilter: Sendable, Hashable {
    /// The attribute `name` equals `value`.
    case attributeEquals(name: String, value: String)
    /// The attribute `name` is one of `values`.
    case attributeIn(name: String, values: Set<String>)
    /// Every filter holds.
    case all([CandidateFilter])
}

/// One recommended item and its strategy-specific score (higher is better; scales differ by strategy).
public struct ScoredItem: Sendable, Hashable {
    public var item: String
    public var score: Double

    public init(item: String, score: Double) {
        self.item = item
        self.score = score
    }
}
