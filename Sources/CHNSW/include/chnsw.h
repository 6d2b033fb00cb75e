#ifndef ABCTL_CHNSW_H
#define ABCTL_CHNSW_H

// A C interface to hnswlib (Debian libhnswlib-dev, header-only C++) for maximum-inner-product
// search: an HNSW graph over float vectors with the inner-product space. Every function
// catches C++ exceptions and reports failure through its return value; none throws.
//
// Thread safety (hnswlib's own): searches may run concurrently with each other; adds, updates
// and resizes must not run concurrently with searches or with each other except through
// abctl_hnsw_add_batch, which adds distinct labels from its own threads.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct abctl_hnsw abctl_hnsw;

/// A new empty index of `dimensions`-long vectors with room for `capacity` of them; NULL when
/// memory runs out.
abctl_hnsw *abctl_hnsw_create(size_t dimensions, size_t capacity, size_t m, size_t ef_construction, size_t seed);

/// Frees the index (NULL is allowed).
void abctl_hnsw_free(abctl_hnsw *index);

/// Adds `vector` under `label`, or moves the vector stored under `label` to it. 0 on success,
/// -1 when the index is full (resize first) or memory runs out.
int abctl_hnsw_add(abctl_hnsw *index, const float *vector, uint64_t label);

/// Adds `count` row-major vectors under labels first_label…first_label+count−1 from `threads`
/// threads. 0 on success, -1 otherwise.
int abctl_hnsw_add_batch(abctl_hnsw *index, const float *vectors, size_t count, uint64_t first_label, size_t threads);

/// Makes room for `capacity` vectors. 0 on success, -1 otherwise.
int abctl_hnsw_resize(abctl_hnsw *index, size_t capacity);

/// How many vectors the index holds, and how many it has room for.
size_t abctl_hnsw_count(const abctl_hnsw *index);
size_t abctl_hnsw_capacity(const abctl_hnsw *index);

/// The (up to) `k` labels with the largest inner product with `query`, best first, searched
/// with a candidate list of max(ef, k); their inner products go to `scores`. Returns how many
/// were written, or 0 on failure.
size_t abctl_hnsw_search(const abctl_hnsw *index, const float *query, size_t k, size_t ef, uint64_t *labels, float *scores);

/// The size of the serialised index in bytes.
size_t abctl_hnsw_serialized_size(const abctl_hnsw *index);

/// Writes the index (hnswlib's saveIndex layout) into `buffer` of `size` bytes. 0 on success.
int abctl_hnsw_serialize(const abctl_hnsw *index, void *buffer, size_t size);

/// An index read back from bytes written by abctl_hnsw_serialize; NULL when they are damaged
/// or were written for another dimension.
abctl_hnsw *abctl_hnsw_deserialize(size_t dimensions, const void *bytes, size_t size);

#ifdef __cplusplus
}
#endif

#endif
