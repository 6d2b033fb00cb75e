// hnswlib behind a C interface. Search and (de)serialisation are written here over hnswlib's
// public members rather than through searchKnn/saveIndex/loadIndex because those read the
// index-wide ef_ (so concurrent searches could not each choose their own ef) and work on
// file paths (we keep models in memory).

#include "chnsw.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

using Graph = hnswlib::HierarchicalNSW<float>;

struct abctl_hnsw {
    size_t dimensions;
    std::unique_ptr<hnswlib::InnerProductSpace> space;
    std::unique_ptr<Graph> graph;
};

extern "C" abctl_hnsw *abctl_hnsw_create(size_t dimensions, size_t capacity, size_t m, size_t ef_construction, size_t seed) {
    try {
        auto index = std::make_unique<abctl_hnsw>();
        index->dimensions = dimensions;
        index->space = std::make_unique<hnswlib::InnerProductSpace>(dimensions);
        index->graph = std::make_unique<Graph>(index->space.get(), std::max<size_t>(capacity, 1), m, ef_construction, seed);
        return index.release();
    } catch (...) {
        return nullptr;
    }
}

extern "C" void abctl_hnsw_free(abctl_hnsw *index) { delete index; }

extern "C" int abctl_hnsw_add(abctl_hnsw *index, const float *vector, uint64_t label) {
    try {
        index->graph->addPoint(vector, static_cast<hnswlib::labeltype>(label));
        return 0;
    } catch (...) {
        return -1;
    }
}

extern "C" int abctl_hnsw_add_batch(abctl_hnsw *index, const float *vectors, size_t count, uint64_t first_label, size_t threads) {
    std::atomic<size_t> next(0);
    std::atomic<bool> failed(false);
    auto work = [&]() {
        for (size_t row = next++; row < count && !failed; row = next++) {
            try {
                index->graph->addPoint(vectors + row * index->dimensions, static_cast<hnswlib::labeltype>(first_label + row));
            } catch (...) {
                failed = true;
            }
        }
    };
    try {
        // The first point alone, so the others find an entry point.
        if (count > 0) work();
        std::vector<std::thread> pool;
        for (size_t t = 1; t < std::max<size_t>(threads, 1); t++) pool.emplace_back(work);
        work();
        for (auto &thread : pool) thread.join();
    } catch (...) {
        return -1;
    }
    return failed ? -1 : 0;
}

extern "C" int abctl_hnsw_resize(abctl_hnsw *index, size_t capacity) {
    try {
        if (capacity > index->graph->max_elements_) index->graph->resizeIndex(capacity);
        return 0;
    } catch (...) {
        return -1;
    }
}

extern "C" size_t abctl_hnsw_count(const abctl_hnsw *index) { return index->graph->cur_element_count; }

extern "C" size_t abctl_hnsw_capacity(const abctl_hnsw *index) { return index->graph->max_elements_; }

extern "C" size_t abctl_hnsw_search(const abctl_hnsw *index, const float *query, size_t k, size_t ef, uint64_t *labels, float *scores) {
    try {
        Graph &g = *index->graph;
        if (g.cur_element_count == 0 || k == 0) return 0;
        // Greedy descent through the upper layers (hnswlib's searchKnn, without its counters).
        hnswlib::tableint current = g.enterpoint_node_;
        float distance = g.fstdistfunc_(query, g.getDataByInternalId(current), g.dist_func_param_);
        for (int level = g.maxlevel_; level > 0; level--) {
            bool changed = true;
            while (changed) {
                changed = false;
                unsigned int *links = (unsigned int *)g.get_linklist(current, level);
                int size = g.getListCount(links);
                hnswlib::tableint *neighbours = (hnswlib::tableint *)(links + 1);
                for (int i = 0; i < size; i++) {
                    float d = g.fstdistfunc_(query, g.getDataByInternalId(neighbours[i]), g.dist_func_param_);
                    if (d < distance) {
                        distance = d;
                        current = neighbours[i];
                        changed = true;
                    }
                }
            }
        }
        auto candidates = g.num_deleted_ ? g.searchBaseLayerST<true, false>(current, query, std::max(ef, k))
                                         : g.searchBaseLayerST<false, false>(current, query, std::max(ef, k));
        while (candidates.size() > k) candidates.pop();
        // The queue pops the largest distance (the worst) first: fill from the back.
        size_t found = candidates.size();
        for (size_t slot = found; slot > 0; slot--) {
            labels[slot - 1] = g.getExternalLabel(candidates.top().second);
            scores[slot - 1] = 1.0f - candidates.top().first;
            candidates.pop();
        }
        return found;
    } catch (...) {
        return 0;
    }
}

namespace {

template <typename T> void put(std::string &out, const T &value) { out.append(reinterpret_cast<const char *>(&value), sizeof(T)); }

template <typename T> bool take(const char *&cursor, const char *end, T &value) {
    if (static_cast<size_t>(end - cursor) < sizeof(T)) return false;
    std::memcpy(&value, cursor, sizeof(T));
    cursor += sizeof(T);
    return true;
}

std::string serialise(const Graph &g) {
    std::string out;
    put(out, g.offsetLevel0_);
    put(out, g.max_elements_);
    put(out, g.cur_element_count);
    put(out, g.size_data_per_element_);
    put(out, g.label_offset_);
    put(out, g.offsetData_);
    put(out, g.maxlevel_);
    put(out, g.enterpoint_node_);
    put(out, g.maxM_);
    put(out, g.maxM0_);
    put(out, g.M_);
    put(out, g.mult_);
    put(out, g.ef_construction_);
    out.append(g.data_level0_memory_, g.cur_element_count * g.size_data_per_element_);
    for (size_t i = 0; i < g.cur_element_count; i++) {
        unsigned int size = g.element_levels_[i] > 0 ? g.size_links_per_element_ * g.element_levels_[i] : 0;
        put(out, size);
        if (size) out.append(g.linkLists_[i], size);
    }
    return out;
}

}  // namespace

extern "C" size_t abctl_hnsw_serialized_size(const abctl_hnsw *index) {
    const Graph &g = *index->graph;
    size_t header = sizeof(g.offsetLevel0_) + sizeof(g.max_elements_) + sizeof(g.cur_element_count) + sizeof(g.size_data_per_element_) +
                    sizeof(g.label_offset_) + sizeof(g.offsetData_) + sizeof(g.maxlevel_) + sizeof(g.enterpoint_node_) + sizeof(g.maxM_) +
                    sizeof(g.maxM0_) + sizeof(g.M_) + sizeof(g.mult_) + sizeof(g.ef_construction_);
    size_t size = header + g.cur_element_count * (g.size_data_per_element_ + sizeof(unsigned int));
    for (size_t i = 0; i < g.cur_element_count; i++) {
        if (g.element_levels_[i] > 0) size += g.size_links_per_element_ * g.element_levels_[i];
    }
    return size;
}

extern "C" int abctl_hnsw_serialize(const abctl_hnsw *index, void *buffer, size_t size) {
    try {
        std::string bytes = serialise(*index->graph);
        if (bytes.size() != size) return -1;
        std::memcpy(buffer, bytes.data(), size);
        return 0;
    } catch (...) {
        return -1;
    }
}

extern "C" abctl_hnsw *abctl_hnsw_deserialize(size_t dimensions, const void *bytes, size_t size) {
    // hnswlib's loadIndex reads a file; this is the same layout from memory, every length
    // checked against what is left so damaged bytes give NULL rather than a wild read.
    try {
        auto index = std::make_unique<abctl_hnsw>();
        index->dimensions = dimensions;
        index->space = std::make_unique<hnswlib::InnerProductSpace>(dimensions);
        index->graph = std::make_unique<Graph>(index->space.get());
        Graph &g = *index->graph;
        // hnswlib's bare constructor leaves these unset; its destructor frees them.
        g.data_level0_memory_ = nullptr;
        g.linkLists_ = nullptr;
        g.visited_list_pool_ = nullptr;
        g.num_deleted_ = 0;
        g.cur_element_count = 0;
        size_t count = 0;
        // Until the tables exist, the destructor must see an empty graph.
        auto fail = [&g]() -> abctl_hnsw * {
            if (g.linkLists_ == nullptr) g.cur_element_count = 0;
            return nullptr;
        };
        const char *cursor = static_cast<const char *>(bytes);
        const char *end = cursor + size;
        bool ok = take(cursor, end, g.offsetLevel0_) && take(cursor, end, g.max_elements_) && take(cursor, end, count) &&
                  take(cursor, end, g.size_data_per_element_) && take(cursor, end, g.label_offset_) && take(cursor, end, g.offsetData_) &&
                  take(cursor, end, g.maxlevel_) && take(cursor, end, g.enterpoint_node_) && take(cursor, end, g.maxM_) &&
                  take(cursor, end, g.maxM0_) && take(cursor, end, g.M_) && take(cursor, end, g.mult_) && take(cursor, end, g.ef_construction_);
        if (!ok) return fail();
        g.data_size_ = index->space->get_data_size();
        g.fstdistfunc_ = index->space->get_dist_func();
        g.dist_func_param_ = index->space->get_dist_func_param();
        g.size_links_per_element_ = g.maxM_ * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
        g.size_links_level0_ = g.maxM0_ * sizeof(hnswlib::tableint) + sizeof(hnswlib::linklistsizeint);
        size_t expectedPerElement = g.data_size_ + sizeof(hnswlib::labeltype) + g.size_links_level0_;
        if (g.size_data_per_element_ != expectedPerElement || g.offsetData_ != g.size_links_level0_ ||
            g.label_offset_ != g.size_links_level0_ + g.data_size_ || g.offsetLevel0_ != 0 || count > g.max_elements_ ||
            g.maxM_ == 0 || g.maxM0_ == 0 || g.mult_ <= 0 ||
            (count > 0 && g.enterpoint_node_ >= count) || static_cast<size_t>(end - cursor) / g.size_data_per_element_ < count) {
            return fail();
        }
        // Room for what is stored: a damaged capacity must not size an allocation.
        size_t capacity = std::max<size_t>(count, 1);
        g.max_elements_ = capacity;
        g.data_level0_memory_ = (char *)malloc(capacity * g.size_data_per_element_);
        g.linkLists_ = (char **)calloc(capacity, sizeof(void *));
        g.element_levels_ = std::vector<int>(capacity);
        if (!g.data_level0_memory_ || !g.linkLists_) return fail();
        g.cur_element_count = count;
        std::memcpy(g.data_level0_memory_, cursor, count * g.size_data_per_element_);
        cursor += count * g.size_data_per_element_;
        std::vector<std::mutex>(capacity).swap(g.link_list_locks_);
        std::vector<std::mutex>(Graph::max_update_element_locks).swap(g.link_list_update_locks_);
        g.visited_list_pool_ = new hnswlib::VisitedListPool(1, capacity);
        g.revSize_ = 1.0 / g.mult_;
        g.ef_ = 10;
        for (size_t i = 0; i < count; i++) {
            g.label_lookup_[g.getExternalLabel(i)] = i;
            unsigned int linkSize = 0;
            if (!take(cursor, end, linkSize)) return nullptr;
            if (linkSize == 0) continue;
            if (linkSize % g.size_links_per_element_ != 0 || static_cast<size_t>(end - cursor) < linkSize ||
                linkSize / g.size_links_per_element_ > static_cast<size_t>(std::max(g.maxlevel_, 0))) {
                return nullptr;
            }
            g.element_levels_[i] = linkSize / g.size_links_per_element_;
            g.linkLists_[i] = (char *)malloc(linkSize);
            if (!g.linkLists_[i]) return nullptr;
            std::memcpy(g.linkLists_[i], cursor, linkSize);
            cursor += linkSize;
        }
        if (cursor != end || (count > 0 && g.element_levels_[g.enterpoint_node_] != g.maxlevel_)) return nullptr;
        // Every neighbour list within its bound and pointing inside the graph, so a search
        // never reads outside it.
        for (size_t i = 0; i < count; i++) {
            if (g.isMarkedDeleted(i)) g.num_deleted_ += 1;
            for (int level = 0; level <= g.element_levels_[i]; level++) {
                unsigned int *links = level == 0 ? g.get_linklist0(i) : (unsigned int *)g.get_linklist(i, level);
                size_t size = g.getListCount(links);
                if (size > (level == 0 ? g.maxM0_ : g.maxM_)) return nullptr;
                hnswlib::tableint *neighbours = (hnswlib::tableint *)(links + 1);
                for (size_t n = 0; n < size; n++) {
                    if (neighbours[n] >= count) return nullptr;
                }
            }
        }
        return index.release();
    } catch (...) {
        return nullptr;
    }
}
