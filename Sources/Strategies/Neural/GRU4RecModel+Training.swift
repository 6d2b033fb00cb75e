extension GRU4RecModel {
    mutating func fit(_ data: TrainingData) throws(StrategyError) {
        space = data.space
        var generator = SeededGenerator(seed: settings.seed)
        var all = Sessions.split(data, gap: sessionGap).filter { $0.count >= 2 }
        all.shuffle(using: &generator)
        let validation = Array(all.prefix(settings.validationCount(of: all.count)))
        var training = Array(all.dropFirst(validation.count))
        var model = GRU4RecWeights(items: space.count, embedding: embeddingSize, hidden: hiddenSize, layerCount: layerCount, using: &generator)
        var counts = [Int](repeating: 0, count: space.count)
        for session in training { for item in session { counts[item] += 1 } }
        let sampler = NegativeSampler(counts: counts, alpha: settings.sampleAlpha)
        let paths = model.parameterPaths
        var trainer = Trainer(
            weights: model,
            zeroed: model.zeroed,
            paths: paths.all,
            sparse: paths.sparse,
            optimiser: Optimiser(kind: settings.optimiser, learningRate: settings.learningRate)
        )
        var stopping = EarlyStopping<GRU4RecWeights>(patience: settings.patience)
        let observer = TrainingProgress.current
        for epoch in 1...settings.epochs where !training.isEmpty {
            training.shuffle(using: &generator)
            let loss = trainEpoch(training, model: &model, trainer: &trainer, sampler: sampler, generator: &generator)
            let score = validation.isEmpty ? nil : Self.validationNDCG(validation, model: model)
            observer?(epoch, loss, score)
            if let score, stopping.record(score: score, weights: model, epoch: epoch) { break }
        }
        if let best = stopping.best { model = best.weights }
        weights = model
        let latest = Sessions.latest(data, gap: sessionGap)
        let states = model.finalStates(of: latest.map(\.items))
        sessions = [:]
        for (entry, hidden) in zip(latest, states) {
            sessions[entry.unit] = SessionState(hidden: hidden, lastTime: entry.lastTime, items: Array(entry.items.suffix(Self.keptItemCount)))
        }
    }

    /// Mean NDCG@10 of each held-out session's last item given the items before it.
    static func validationNDCG(_ sessions: [[Int]], model: GRU4RecWeights) -> Double {
        let states = model.finalStates(of: sessions.map { Array($0.dropLast()) })
        var total = 0.0
        for (session, hidden) in zip(sessions, states) {
            // Held-out sessions have at least two items, so `last` exists.
            guard let target = session.last else { continue }
            total += NextItemNDCG.value(scores: model.scores(top: Array(hidden.suffix(model.hiddenSize))), target: target)
        }
        return total / Double(max(1, sessions.count))
    }

    /// One pass of session-parallel mini-batches (Hidasi et al. 2016, figure 2): each of
    /// `batch_size` slots walks one session; at every step each slot's current item predicts
    /// its next; a finished session's slot takes the next session with a zero state.
    /// Returns the mean loss per step.
    func trainEpoch(
        _ sessions: [[Int]],
        model: inout GRU4RecWeights,
        trainer: inout Trainer<GRU4RecWeights>,
        sampler: NegativeSampler,
        generator: inout SeededGenerator
    ) -> Double {
        var slots: [(session: Int, position: Int)] = (0..<min(settings.batchSize, sessions.count)).map { ($0, 0) }
        var nextSession = slots.count
        var hidden = model.layers.map { _ in Matrix(rows: slots.count, columns: hiddenSize) }
        var totalLoss = 0.0
        var steps = 0
        while !slots.isEmpty {
            let inputs = slots.map { sessions[$0.session][$0.position] }
            let targets = slots.map { sessions[$0.session][$0.position + 1] }
            let (states, caches) = model.forward(items: inputs, hidden: hidden)
            let candidates = targets + sampler.sample(settings.negativeSamples, using: &generator)
            let (loss, topGradient, outputRows) = score(
                states[states.count - 1],
                targets: targets,
                candidates: candidates,
                model: model,
                trainer: &trainer
            )
            totalLoss += loss
            steps += 1
            let inputRows = model.backward(items: inputs, caches: caches, topGradient: topGradient, into: &trainer.gradient)
            trainer.step(&model, touchedRows: [\.itemEmbedding.table: inputRows, \.output.table: outputRows, \.outputBias: outputRows])
            // Advance each slot; keep the states of continuing sessions, zero the new ones.
            var kept: [Int] = []
            var zeroRows: [Int] = []
            var nextSlots: [(session: Int, position: Int)] = []
            for (row, slot) in slots.enumerated() {
                if slot.position + 2 < sessions[slot.session].count {
                    nextSlots.append((slot.session, slot.position + 1))
                    kept.append(row)
                } else if nextSession < sessions.count {
                    nextSlots.append((nextSession, 0))
                    kept.append(row)
                    zeroRows.append(nextSlots.count - 1)
                    nextSession += 1
                }
            }
            hidden = states.map { state in
                var next = state.gathering(rows: kept)
                for row in zeroRows { for column in 0..<hiddenSize { next[row, column] = 0 } }
                return next
            }
            slots = nextSlots
        }
        return totalLoss / Double(max(1, steps))
    }

    /// Scores the batch's top states against the candidates, takes the loss, and accumulates
    /// the output-layer gradient; returns the loss, ∂L/∂(top state) and the output rows touched.
    private func score(
        _ top: Matrix,
        targets: [Int],
        candidates: [Int],
        model: GRU4RecWeights,
        trainer: inout Trainer<GRU4RecWeights>
    ) -> (Double, Matrix, [Int]) {
        let vectors = model.output.lookup(candidates)
        var scores = Matrix.product(top, transposing: vectors)
        for row in 0..<scores.rows { for (column, item) in candidates.enumerated() { scores[row, column] += model.outputBias.values[item] } }
        // A candidate equal to the row's own target is not a negative for that row.
        var allowed = [Bool](repeating: true, count: scores.values.count)
        for (row, target) in targets.enumerated() {
            for (column, item) in candidates.enumerated() where item == target && column != row { allowed[row * candidates.count + column] = false }
        }
        let (loss, gradient) = loss.evaluate(scores: scores, positives: Array(targets.indices), allowed: allowed, regularization: bprRegularization)
        var vectorGradient = Matrix(rows: candidates.count, columns: hiddenSize)
        Matrix.accumulateProduct(transposing: gradient, top, into: &vectorGradient)
        trainer.gradient.output.table.scatterAdd(vectorGradient, at: candidates)
        var biasGradient = Matrix(rows: 1, columns: candidates.count)
        biasGradient.addColumnSums(of: gradient)
        trainer.gradient.outputBias.scatterAdd(Matrix(rows: candidates.count, columns: 1, values: biasGradient.values), at: candidates)
        return (loss, Matrix.product(gradient, vectors), candidates)
    }
}
