/// The k best (score, item) pairs seen so far, kept in a min-heap so selecting from n
/// scores costs O(n log k) and usually one comparison per item. Ties go to the lower index.
struct TopK {
    private(set) var scores: [Float] = []
    private(set) var items: [Int32] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        scores.reserveCapacity(self.capacity)
        items.reserveCapacity(self.capacity)
    }

    /// Whether `capacity` pairs are kept, so a new one must displace the worst.
    var isFull: Bool { scores.count >= capacity }

    /// The score an item must beat to enter (−∞ while not full).
    var threshold: Float { scores.count < capacity ? -.infinity : scores[0] }

    /// Whether (a, ia) ranks below (b, ib).
    @inline(__always)
    private static func worse(_ a: Float, _ ia: Int32, _ b: Float, _ ib: Int32) -> Bool {
        a < b || (a == b && ia > ib)
    }

    mutating func offer(_ score: Float, _ item: Int32) {
        guard capacity > 0 else { return }
        if scores.count < capacity {
            scores.append(score)
            items.append(item)
            siftUp(scores.count - 1)
        } else if Self.worse(scores[0], items[0], score, item) {
            scores[0] = score
            items[0] = item
            siftDown(0)
        }
    }

    /// The kept pairs, best first.
    func sorted() -> [(item: Int32, score: Float)] {
        zip(items, scores).map { (item: $0, score: $1) }
            .sorted { Self.worse($1.score, $1.item, $0.score, $0.item) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.worse(scores[child], items[child], scores[parent], items[parent]) else { return }
            scores.swapAt(child, parent)
            items.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = scores.count
        while true {
            var smallest = parent
            for child in [2 * parent + 1, 2 * parent + 2] where child < count {
                if Self.worse(scores[child], items[child], scores[smallest], items[smallest]) { smallest = child }
            }
            guard smallest != parent else { return }
            scores.swapAt(smallest, parent)
            items.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
