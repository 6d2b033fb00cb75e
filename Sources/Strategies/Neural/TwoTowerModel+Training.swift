extension TwoTowerModel {
    /// One training example: up to `history_length` items before the target, and the target.
    struct Example: Sendable {
        var history: [Int]
        var target: Int
    }

    mutating func fit(_ data: TrainingData) throws(StrategyError) {
        space = data.space
        var generator = SeededGenerator(seed: settings.seed)
        let tokens = ItemTokens(space: space, catalogue: data.catalogue)
        var units = Array(data.units.indices)
        units.shuffle(using: &generator)
        let validationUnits = Set(units.prefix(settings.validationCount(of: units.count)))
        var training: [Example] = []
        var validation: [Example] = []
        var counts = [Int](repeating: 0, count: space.count)
        for unit in data.units.indices {
            let items = data.events(ofUnit: unit).map { Int($0.item) }
            for position in items.indices.dropFirst() {
                let example = Example(history: Array(items[max(0, position - historyLength)..<position]), target: items[position])
                if validationUnits.contains(unit) && position == items.count - 1 {
                    validation.append(example)
                } else {
                    training.append(example)
                    counts[example.target] += 1
                }
            }
        }
        var model = TwoTowerWeights(items: space.count, tokens: tokens.vocabularySize, dimensions: dimensions, using: &generator)
        let sampler = NegativeSampler(counts: counts, alpha: settings.sampleAlpha)
        var trainer = Trainer(
            weights: model,
            zeroed: model.zeroed,
            paths: TwoTowerWeights.allPaths,
            sparse: TwoTowerWeights.sparsePaths,
            optimiser: Optimiser(kind: settings.optimiser, learningRate: settings.learningRate)
        )
        var stopping = EarlyStopping<TwoTowerWeights>(patience: settings.patience)
        let observer = TrainingProgress.current
        for epoch in 1...settings.epochs where !training.isEmpty {
            training.shuffle(using: &generator)
            var total = 0.0
            var steps = 0
            for start in stride(from: 0, to: training.count, by: settings.batchSize) {
                let batch = Array(training[start..<min(training.count, start + settings.batchSize)])
                total += step(batch, model: &model, trainer: &trainer, tokens: tokens, sampler: sampler, generator: &generator)
                steps += 1
            }
            let score = validation.isEmpty ? nil : Self.validationNDCG(validation, model: model, tokens: tokens, idDropout: idDropout)
            observer?(epoch, total / Double(max(1, steps)), score)
            if let score, stopping.record(score: score, weights: model, epoch: epoch) { break }
        }
        if let best = stopping.best { model = best.weights }
        weights = model
        itemVectors = Self.itemVectors(model, tokens: tokens, idDropout: idDropout)
        try index?.build(rows: Self.indexRows(itemVectors), dimensions: itemVectors.columns + 1)
        histories = UnitHistories(capacity: 200)
        for unit in data.units.indices {
            for event in data.events(ofUnit: unit) { histories.append(unit: data.units[unit], item: event.item, time: event.time) }
        }
    }

    /// Mean NDCG@10 of held-out last items given the items before them.
    static func validationNDCG(_ examples: [Example], model: TwoTowerWeights, tokens: ItemTokens, idDropout: Double) -> Double {
        let vectors = itemVectors(model, tokens: tokens, idDropout: idDropout)
        let users = model.userTower(examples.map(\.history)).output
        var total = 0.0
        for (row, example) in examples.enumerated() {
            let scores = VectorMath.matrixVector(vectors.values, columns: vectors.columns, users.row(row))
            total += NextItemNDCG.value(scores: scores, target: example.target)
        }
        return total / Double(max(1, examples.count))
    }

    /// One mini-batch of sampled softmax: each example's target against the batch's other
    /// targets and the sampled negatives; returns the mean loss.
    private func step(
        _ batch: [Example],
        model: inout TwoTowerWeights,
        trainer: inout Trainer<TwoTowerWeights>,
        tokens: ItemTokens,
        sampler: NegativeSampler,
        generator: inout SeededGenerator
    ) -> Double {
        let targets = batch.map(\.target)
        let candidates = targets + sampler.sample(settings.negativeSamples, using: &generator)
        let idMask = candidates.map { _ in Double(generator.unitFloat()) < idDropout ? Float(0) : 1 }
        let histories = batch.map(\.history)
        let user = model.userTower(histories)
        let features = model.itemFeatures(candidates, tokens: tokens.tokens, idMask: idMask)
        let items = model.itemOutput.forward(features)
        let scores = Matrix.product(user.output, transposing: items)
        var allowed = [Bool](repeating: true, count: scores.values.count)
        for (row, target) in targets.enumerated() {
            for (column, item) in candidates.enumerated() where item == target && column != row { allowed[row * candidates.count + column] = false }
        }
        let (loss, gradient) = RankingLoss.crossEntropy.evaluate(scores: scores, positives: Array(targets.indices), allowed: allowed)
        var itemGradient = Matrix(rows: candidates.count, columns: dimensions)
        Matrix.accumulateProduct(transposing: gradient, user.output, into: &itemGradient)
        let userGradient = Matrix.product(gradient, items)
        let historyRows = model.userBackward(user, histories: histories, outputGradient: userGradient, into: &trainer.gradient)
        let (idRows, tokenRows) = model.itemBackward(
            candidates,
            features: features,
            tokens: tokens.tokens,
            idMask: idMask,
            outputGradient: itemGradient,
            into: &trainer.gradient
        )
        trainer.step(&model, touchedRows: [\.historyEmbedding.table: historyRows, \.itemEmbedding.table: idRows, \.tokenEmbedding.table: tokenRows])
        return loss
    }
}
