import Foundation

/// The nearest-neighbour part of an embedding model (ALS, BPR): an inner-product index over
/// the item vectors, built at fit, saved in the model file, kept current online. Retrieval
/// takes candidates from the index, re-scores them exactly, drops excluded and filtered-out
/// items and widens the search until K survive. Below `minimumItems` there is no index and
/// the model scores every item.
struct EmbeddingIndex: Sendable {
    let settings: IndexSettings
    /// nil below `settings.minimumItems` (exact scoring).
    private(set) var index: InnerProductIndex?

    /// No index yet: exact scoring until `build`.
    init(settings: IndexSettings) {
        self.settings = settings
    }

    /// Whether recommendations come from the index rather than from scoring every item.
    var isActive: Bool { index != nil }

    /// Builds the index over `rows` (row-major, `dimensions` wide; row i is item i) when the
    /// catalogue is large enough, on every core.
    mutating func build(rows: [Float], dimensions: Int) throws(StrategyError) {
        index = nil
        let count = dimensions == 0 ? 0 : rows.count / dimensions
        guard count >= settings.minimumItems, count > 0 else { return }
        guard let fresh = InnerProductIndex(dimensions: dimensions, capacity: count, settings: settings),
            fresh.add(rows: rows, firstLabel: 0, threads: ProcessInfo.processInfo.activeProcessorCount)
        else {
            throw .unavailableHere(strategy: "index", reason: "memory ran out while building the HNSW index of \(count) items")
        }
        index = fresh
    }

    /// Puts item `item`'s current vector in the index (a new item joins, a known one moves).
    /// Builds the index when the catalogue has just grown to `minimumItems` (`allRows` gives
    /// every item's vector then).
    mutating func update(item: Int32, vector: [Float], itemCount: Int, allRows: () -> [Float]) {
        if let index {
            // Memory running out here leaves the item out of the index until the next fit;
            // exact scoring is not affected, and the next fit rebuilds the graph.
            _ = index.upsert(vector, label: Int(item))
        } else if itemCount >= settings.minimumItems, settings.minimumItems > 0 {
            try? build(rows: allRows(), dimensions: vector.count)
        }
    }

    /// The request's top K by `score`, from the index's candidates for `query`; `exact` ranks
    /// every item and answers when there is no index or when the candidates needed approach
    /// the catalogue (a filter that few items pass, an exclusion list as long as the catalogue).
    func top(
        query: [Float],
        ranker: Ranker,
        itemCount: Int,
        score: (Int32) -> Float,
        exact: () -> [ScoredItem]
    ) -> [ScoredItem] {
        guard let index else { return exact() }
        let k = ranker.request.k
        var wanted = k + ranker.excludedCount
        while true {
            // A search visits about M items per candidate kept; past n/M that is a full scan.
            guard wanted * settings.m < itemCount else { return exact() }
            let found = index.search(query, k: wanted, ef: max(settings.efSearch, wanted))
            var heap = TopK(capacity: k)
            var allowed = 0
            for candidate in found where ranker.allows(candidate.label) {
                heap.offer(score(candidate.label), candidate.label)
                allowed += 1
            }
            if allowed >= k || found.count < wanted { return ranker.scoredItems(heap) }
            wanted *= 4
        }
    }
}

extension EmbeddingIndex: Codable {
    private enum CodingKeys: String, CodingKey { case settings, dimensions, graph }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        settings = try container.decode(IndexSettings.self, forKey: .settings)
        guard let graph = try container.decodeIfPresent(Data.self, forKey: .graph) else { return }
        let dimensions = try container.decode(Int.self, forKey: .dimensions)
        guard let loaded = InnerProductIndex(dimensions: dimensions, bytes: graph) else {
            throw DecodingError.dataCorruptedError(forKey: .graph, in: container, debugDescription: "the HNSW index is damaged")
        }
        index = loaded
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(settings, forKey: .settings)
        guard let index else { return }
        try container.encode(index.dimensions, forKey: .dimensions)
        try container.encode(index.serialized(), forKey: .graph)
    }
}
