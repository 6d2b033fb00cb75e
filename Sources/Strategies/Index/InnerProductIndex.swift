import CHNSW
import Foundation

/// An HNSW graph (hnswlib, through the CHNSW shim) over item vectors, searched for the largest
/// inner products. Labels are item indices. The index has its own reader-writer lock, so a
/// model snapshot being saved never reads the graph while `observe` changes it: searches and
/// serialisation share the lock, adds and resizes hold it alone.
/// Public for benchmarks and for embedding models outside this module.
/// @unchecked Sendable is sound because every use of `handle` holds `lock`.
public final class InnerProductIndex: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = ReadWriteLock()
    /// The length of every vector.
    public let dimensions: Int

    /// An empty index with room for `capacity` vectors; nil when memory runs out.
    public init?(dimensions: Int, capacity: Int, settings: IndexSettings) {
        guard
            let handle = abctl_hnsw_create(
                dimensions,
                max(capacity, 1),
                settings.m,
                settings.efConstruction,
                settings.seed
            )
        else { return nil }
        self.handle = handle
        self.dimensions = dimensions
    }

    /// An index read from `serialized()` bytes; nil when they are damaged or of another dimension.
    public init?(dimensions: Int, bytes: Data) {
        let handle = bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let base = buffer.baseAddress else { return nil }
            return abctl_hnsw_deserialize(dimensions, base, buffer.count)
        }
        guard let handle else { return nil }
        self.handle = handle
        self.dimensions = dimensions
    }

    deinit { abctl_hnsw_free(handle) }

    /// How many vectors the index holds.
    public var count: Int { lock.withReadLock { abctl_hnsw_count(handle) } }

    /// Adds the row-major `vectors` under labels `firstLabel`… from `threads` threads
    /// (resizing first when needed); false when memory runs out.
    public func add(rows vectors: [Float], firstLabel: Int, threads: Int) -> Bool {
        let rows = dimensions == 0 ? 0 : vectors.count / dimensions
        return lock.withWriteLock {
            guard reserve(firstLabel + rows) else { return false }
            return vectors.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return rows == 0 }
                return abctl_hnsw_add_batch(handle, base, rows, UInt64(firstLabel), max(threads, 1)) == 0
            }
        }
    }

    /// Stores `vector` under `label`: a new item joins the graph, a known one moves to it.
    public func upsert(_ vector: [Float], label: Int) -> Bool {
        precondition(vector.count == dimensions, "an index vector has the index's dimensions")
        return lock.withWriteLock {
            guard reserve(label + 1) else { return false }
            return vector.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return false }
                return abctl_hnsw_add(handle, base, UInt64(label)) == 0
            }
        }
    }

    /// Makes room for `needed` vectors, doubling so that items added one by one cost
    /// amortised O(1) resizes. Call with the write lock held.
    private func reserve(_ needed: Int) -> Bool {
        let capacity = abctl_hnsw_capacity(handle)
        guard needed > capacity else { return true }
        return abctl_hnsw_resize(handle, max(needed, capacity * 2)) == 0
    }

    /// The (up to) `k` labels with the largest inner product with `query`, best first, from a
    /// search keeping max(`ef`, `k`) candidates.
    public func search(_ query: [Float], k: Int, ef: Int) -> [(label: Int32, score: Float)] {
        precondition(query.count == dimensions, "a query has the index's dimensions")
        guard k > 0 else { return [] }
        var labels = [UInt64](repeating: 0, count: k)
        var scores = [Float](repeating: 0, count: k)
        let found = lock.withReadLock {
            query.withUnsafeBufferPointer { q in
                labels.withUnsafeMutableBufferPointer { l in
                    scores.withUnsafeMutableBufferPointer { s in
                        guard let qBase = q.baseAddress, let lBase = l.baseAddress, let sBase = s.baseAddress else { return 0 }
                        return abctl_hnsw_search(handle, qBase, k, max(ef, k), lBase, sBase)
                    }
                }
            }
        }
        return (0..<found).map { (label: Int32(truncatingIfNeeded: labels[$0]), score: scores[$0]) }
    }

    /// The graph as bytes (hnswlib's saveIndex layout), for the model file.
    public func serialized() -> Data {
        lock.withReadLock {
            let size = abctl_hnsw_serialized_size(handle)
            var data = Data(count: size)
            let status = data.withUnsafeMutableBytes { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return size == 0 ? 0 : -1 }
                return abctl_hnsw_serialize(handle, base, size)
            }
            // The size was computed under the same lock from the same graph, so writing
            // cannot come out another length; an empty Data would fail to load as damaged.
            return status == 0 ? data : Data()
        }
    }
}
