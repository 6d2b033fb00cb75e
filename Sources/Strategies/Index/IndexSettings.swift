/// The nearest-neighbour index parameters an embedding strategy takes, validated like its
/// other parameters: hnswlib's M, ef_construction and ef_search, and the catalogue size from
/// which the index is used at all (below it, scoring every item is cheaper).
public struct IndexSettings: Sendable, Hashable, Codable {
    /// Graph degree: links per node above layer 0 (2·M on layer 0).
    public var m: Int
    /// Candidate list length while inserting.
    public var efConstruction: Int
    /// Candidate list length while searching (raised to the number of candidates wanted).
    public var efSearch: Int
    /// Catalogues with fewer items than this are scored exactly, without an index.
    public var minimumItems: Int
    /// Seed of hnswlib's level generator, so a fit builds the same graph.
    public var seed: Int

    /// Settings as given; the defaults are the spec's.
    public init(
        m: Int = 16,
        efConstruction: Int = 200,
        efSearch: Int = IndexSettings.defaultEfSearch,
        minimumItems: Int = IndexSettings.defaultMinimumItems,
        seed: Int = 42
    ) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.minimumItems = minimumItems
        self.seed = seed
    }

    init(_ parameters: ResolvedParameters, seed: Int) {
        m = parameters.integer("index_m")
        efConstruction = parameters.integer("index_ef_construction")
        efSearch = parameters.integer("index_ef_search")
        minimumItems = parameters.integer("index_min_items")
        self.seed = seed
    }

    /// The parameters' descriptions, appended to each embedding strategy's own.
    static let parameters: [ParameterDescription] = [
        ParameterDescription(
            name: "index_m",
            kind: .integer(minimum: 2, maximum: 100),
            defaultValue: "16",
            summary: "HNSW index: links per item (memory and build time grow with it, so does recall)."
        ),
        ParameterDescription(
            name: "index_ef_construction",
            kind: .integer(minimum: 10, maximum: 4000),
            defaultValue: "200",
            summary: "HNSW index: candidate list while building (build time against recall)."
        ),
        ParameterDescription(
            name: "index_ef_search",
            kind: .integer(minimum: 10, maximum: 100_000),
            defaultValue: "\(defaultEfSearch)",
            summary: "HNSW index: candidate list while searching (decision time against recall)."
        ),
        ParameterDescription(
            name: "index_min_items",
            kind: .integer(minimum: 0, maximum: 1_000_000_000),
            defaultValue: "\(defaultMinimumItems)",
            summary: "Catalogue size from which the HNSW index is used; smaller catalogues are scored exactly."
        ),
    ]

    /// The measured defaults (docs/strategies.md, "Nearest-neighbour index").
    public static let defaultEfSearch = 100
    public static let defaultMinimumItems = 10_000
}
