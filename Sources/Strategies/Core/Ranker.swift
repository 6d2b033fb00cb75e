/// Turns a model's scores into the request's top K: drops excluded and filtered-out items,
/// selects with a heap, and maps indices back to ids.
struct Ranker {
    let space: ItemSpace
    let request: RecommendationRequest
    private let excluded: Set<Int32>
    private let mask: [Bool]?

    init(space: ItemSpace, request: RecommendationRequest) {
        self.space = space
        self.request = request
        excluded = Set(request.excludedItems.compactMap { space.index(of: $0) })
        mask = space.mask(for: request.filter)
    }

    /// How many of the request's excluded items the space holds.
    var excludedCount: Int { excluded.count }

    @inline(__always)
    func allows(_ item: Int32) -> Bool {
        // `isEmpty` first: `contains` hashes the item even in an empty set, and most requests exclude nothing.
        (mask?[Int(item)] ?? true) && (excluded.isEmpty || !excluded.contains(item))
    }

    /// The top K of a dense score array indexed by item (NaN scores are skipped).
    func top(dense scores: [Float], skipping skipped: Set<Int32> = []) -> [ScoredItem] {
        var heap = TopK(capacity: request.k)
        // The bar is held in a local, refreshed only when the heap changes: the loop over every
        // item is then a compare of two floats, which was most of a popularity ranking's time.
        // Items come in index order, so once the heap is full an item that only ties the bar
        // loses the tie (ties go to the lower index, and every kept item's index is lower):
        // the bar is strict then, and a catalogue of equal scores costs compares, not offers.
        var threshold = heap.threshold
        var full = heap.isFull
        scores.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count {
                let score = buffer[index]
                guard score > threshold || (!full && score == threshold) else { continue }
                let item = Int32(index)
                if allows(item) && (skipped.isEmpty || !skipped.contains(item)) {
                    heap.offer(score, item)
                    threshold = heap.threshold
                    full = heap.isFull
                }
            }
        }
        return scoredItems(heap)
    }

    /// The top K of sparse scores.
    func top(sparse scores: [Int32: Float]) -> [ScoredItem] {
        var heap = TopK(capacity: request.k)
        for (item, score) in scores where allows(item) { heap.offer(score, item) }
        return scoredItems(heap)
    }

    /// The heap's items, best first, with their ids.
    func scoredItems(_ heap: TopK) -> [ScoredItem] {
        heap.sorted().map { ScoredItem(item: space.ids[Int($0.item)], score: Double($0.score)) }
    }
}
