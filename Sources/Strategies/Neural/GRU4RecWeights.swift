/// The learned parameters of the GRU session model: input item embeddings, a stack of GRU
/// layers, and output item vectors with biases that score every item against the top
/// layer's hidden state.
struct GRU4RecWeights: Sendable, Codable, Equatable {
    var itemEmbedding: Embedding
    var layers: [GRUCell]
    var output: Embedding
    /// One bias per item, as an items × 1 matrix so it updates row-sparsely.
    var outputBias: Matrix

    init(items: Int, embedding: Int, hidden: Int, layerCount: Int, using generator: inout SeededGenerator) {
        itemEmbedding = Embedding(count: items, dimensions: embedding, using: &generator)
        layers = (0..<layerCount).map { layer in GRUCell(inputs: layer == 0 ? embedding : hidden, hidden: hidden, using: &generator) }
        output = Embedding(count: items, dimensions: hidden, using: &generator)
        outputBias = Matrix(rows: items, columns: 1)
    }

    var hiddenSize: Int { output.table.columns }

    var zeroed: GRU4RecWeights {
        var copy = self
        copy.itemEmbedding = itemEmbedding.zeroed
        copy.layers = layers.map(\.zeroed)
        copy.output = output.zeroed
        copy.outputBias.zero()
        return copy
    }

    /// Every trainable matrix; the embedding tables and biases are sparse.
    var parameterPaths: (all: [WritableKeyPath<Self, Matrix>], sparse: Set<WritableKeyPath<Self, Matrix>>) {
        var all: [WritableKeyPath<Self, Matrix>] = [\.itemEmbedding.table, \.output.table, \.outputBias]
        for layer in layers.indices {
            all += [\.layers[layer].inputWeight, \.layers[layer].gateWeight, \.layers[layer].candidateWeight, \.layers[layer].bias]
        }
        return (all, [\.itemEmbedding.table, \.output.table, \.outputBias])
    }

    /// One time step for a batch: the new hidden state of every layer and the caches.
    func forward(items: [Int], hidden: [Matrix]) -> (hidden: [Matrix], caches: [GRUCell.Cache]) {
        var input = itemEmbedding.lookup(items)
        var states: [Matrix] = []
        var caches: [GRUCell.Cache] = []
        for (layer, cell) in layers.enumerated() {
            let (output, cache) = cell.forward(input, hidden: hidden[layer])
            states.append(output)
            caches.append(cache)
            input = output
        }
        return (states, caches)
    }

    /// Backpropagates ∂L/∂(top hidden state) through the layers into `gradient`; returns the
    /// item-embedding rows touched. Like GRU4Rec, the previous hidden state is a constant
    /// (no backpropagation through time beyond the step).
    func backward(items: [Int], caches: [GRUCell.Cache], topGradient: Matrix, into gradient: inout GRU4RecWeights) -> [Int] {
        var outputGradient = topGradient
        for layer in layers.indices.reversed() {
            outputGradient = layers[layer].backward(caches[layer], outputGradient: outputGradient, into: &gradient.layers[layer]).input
        }
        return Embedding.backwardLookup(ids: items, outputGradient: outputGradient, into: &gradient.itemEmbedding)
    }

    /// Scores of every item for one top hidden state.
    func scores(top hidden: [Float]) -> [Float] {
        var scores = VectorMath.matrixVector(output.table.values, columns: hiddenSize, hidden)
        for item in scores.indices { scores[item] += outputBias.values[item] }
        return scores
    }

    /// The state after feeding `items` in order from `start` (zero when nil); flattened layer by layer.
    func advance(_ start: [Float]?, through items: [Int]) -> [Float] {
        let size = hiddenSize
        var hidden = (0..<layers.count).map { layer in
            Matrix(
                rows: 1,
                columns: size,
                values: start.map { Array($0[(layer * size)..<((layer + 1) * size)]) } ?? [Float](repeating: 0, count: size)
            )
        }
        for item in items { hidden = forward(items: [item], hidden: hidden).hidden }
        return hidden.flatMap(\.values)
    }

    /// The final states of many sequences at once, batching rows that are still running.
    func finalStates(of sequences: [[Int]]) -> [[Float]] {
        let order = sequences.indices.sorted { sequences[$0].count > sequences[$1].count }
        let size = hiddenSize
        var hidden = layers.map { _ in Matrix(rows: order.count, columns: size) }
        var step = 0
        while true {
            let running = order.prefix { sequences[$0].count > step }.count
            guard running > 0 else { break }
            let items = order.prefix(running).map { sequences[$0][step] }
            let active = hidden.map { $0.gathering(rows: Array(0..<running)) }
            let next = forward(items: items, hidden: active).hidden
            for layer in hidden.indices {
                hidden[layer].values.replaceSubrange(0..<(running * size), with: next[layer].values)
            }
            step += 1
        }
        var states = [[Float]](repeating: [], count: sequences.count)
        for (row, sequence) in order.enumerated() { states[sequence] = hidden.flatMap { $0.row(row) } }
        return states
    }
}
