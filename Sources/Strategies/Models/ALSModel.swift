/// Implicit-feedback matrix factorisation (Hu, Koren and Volinsky) fitted by alternating
/// conjugate-gradient row solves. Online: a unit's new interaction re-solves that unit's
/// factors against the fixed item factors (fold-in); an item first seen online gets factors
/// folded in against the units that touched it, and moves with each new interaction; the
/// fitted items' factors change only on refit. Large catalogues are ranked through an HNSW
/// index over the item factors (`EmbeddingIndex`).
struct ALSModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "als",
        summary: "Implicit-feedback matrix factorisation (Hu, Koren and Volinsky), units folded in online.",
        parameters: [
            ParameterDescription(name: "factors", kind: .integer(minimum: 1, maximum: 1024), defaultValue: "64", summary: "Latent dimensions."),
            ParameterDescription(name: "regularization", kind: .real(minimum: 0, maximum: nil), defaultValue: "0.01", summary: "L2 penalty λ."),
            ParameterDescription(
                name: "alpha",
                kind: .real(minimum: 0, maximum: nil),
                defaultValue: "40",
                summary: "Confidence scale: c = 1 + alpha·(summed event weight)."
            ),
            ParameterDescription(name: "iterations", kind: .integer(minimum: 1, maximum: 1000), defaultValue: "15", summary: "Alternating sweeps."),
            ParameterDescription(
                name: "cg_steps",
                kind: .integer(minimum: 1, maximum: 1024),
                defaultValue: "3",
                summary: "Conjugate-gradient steps per row and sweep."
            ),
            ParameterDescription(name: "seed", kind: .integer(minimum: 0, maximum: nil), defaultValue: "42", summary: "Seed of the initial factors."),
            ParameterDescription(
                name: "track_loss",
                kind: .boolean,
                defaultValue: "false",
                summary: "Compute the training loss after every sweep (about 15% slower)."
            ),
        ] + IndexSettings.parameters
    )

    let f: Int
    let regularization: Float
    let alpha: Float
    let iterations: Int
    let cgSteps: Int
    let seed: Int
    let tracksLoss: Bool
    var space = ItemSpace(ids: [], attributes: [])
    var unitIndex: [String: Int32] = [:]
    /// Summed event weights per unit: the rows folded in.
    var unitRows: [[Int32: Float]] = []
    @PackedFloats var userFactors: [Float] = []
    @PackedFloats var itemFactors: [Float] = []
    /// YᵀY + λI of the item factors, kept for fold-in.
    var itemGram: [Float] = []
    /// The objective after each sweep of the last fit, when `track_loss` is on.
    var lossHistory: [Double] = []
    // The three below are nil in models saved before the index existed: those load, rank
    // exactly and ignore new items online, as they did, until the next fit.
    /// XᵀX + λI of the unit factors at fit, for folding in items first seen online.
    var unitGram: [Float]?
    /// Summed event weights per unit of each item first seen online: the rows folded in.
    var onlineItemRows: [Int32: [Int32: Float]]?
    /// The HNSW index over the item factors (inactive below `index_min_items`).
    var index: EmbeddingIndex?

    init(parameters: ResolvedParameters) {
        f = parameters.integer("factors")
        regularization = Float(parameters.real("regularization"))
        alpha = Float(parameters.real("alpha"))
        iterations = parameters.integer("iterations")
        cgSteps = parameters.integer("cg_steps")
        seed = parameters.integer("seed")
        tracksLoss = parameters.boolean("track_loss")
        index = EmbeddingIndex(settings: IndexSettings(parameters, seed: seed))
    }

    mutating func fit(_ data: TrainingData) throws(StrategyError) {
        space = data.space
        let matrix = data.unitItemMatrix()
        let transposed = matrix.transposed()
        unitIndex = Dictionary(uniqueKeysWithValues: data.units.enumerated().map { ($1, Int32($0)) })
        unitRows = (0..<matrix.rowCount).map { row in
            Dictionary(uniqueKeysWithValues: matrix.range(ofRow: row).map { (matrix.columns[$0], matrix.values[$0]) })
        }
        // Small uniform initial factors, as `implicit` does (rand · 0.01).
        var generator = SeededGenerator(seed: UInt64(seed))
        userFactors = (0..<(matrix.rowCount * f)).map { _ in generator.unitFloat() * 0.01 }
        itemFactors = (0..<(space.count * f)).map { _ in generator.unitFloat() * 0.01 }
        lossHistory = []
        for _ in 0..<iterations {
            sweep(matrix: matrix, transposed: transposed)
            guard tracksLoss else { continue }
            lossHistory.append(
                ALSSolver.loss(users: userFactors, items: itemFactors, matrix: matrix, f: f, alpha: alpha, regularization: regularization)
            )
        }
        itemGram = ALSSolver.gram(itemFactors, f: f, regularization: regularization)
        unitGram = ALSSolver.gram(userFactors, f: f, regularization: regularization)
        onlineItemRows = [:]
        let rows = itemFactors
        try index?.build(rows: rows, dimensions: f)
    }

    /// One alternating sweep: all user rows, then all item rows.
    mutating func sweep(matrix: SparseRows, transposed: SparseRows) {
        ALSSolver.solveRows(
            &userFactors,
            fixed: itemFactors,
            rows: matrix,
            f: f,
            alpha: alpha,
            regularization: regularization,
            steps: cgSteps
        )
        ALSSolver.solveRows(
            &itemFactors,
            fixed: userFactors,
            rows: transposed,
            f: f,
            alpha: alpha,
            regularization: regularization,
            steps: cgSteps
        )
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        let known = unitIndex[request.unit].map(Int.init)
        var row = known.map { unitRows[$0] } ?? [:]
        var changed = false
        for id in request.recentItems {
            guard let item = space.index(of: id), row[item] == nil else { continue }
            row[item] = 1
            changed = true
        }
        guard !row.isEmpty else { return [] }
        var vector = known.map { Array(userFactors[($0 * f)..<(($0 + 1) * f)]) } ?? [Float](repeating: 0, count: f)
        if changed { foldIn(&vector, row: row) }
        let ranker = Ranker(space: space, request: request)
        let exact = { ranker.top(dense: VectorMath.matrixVector(itemFactors, columns: f, vector)) }
        guard let index else { return exact() }
        return index.top(query: vector, ranker: ranker, itemCount: space.count, score: { score(item: $0, vector) }, exact: exact)
    }

    /// x·y_item, the score exact ranking gives.
    func score(item: Int32, _ vector: [Float]) -> Float {
        itemFactors.withUnsafeBufferPointer { items in
            vector.withUnsafeBufferPointer { query in
                guard let itemBase = items.baseAddress, let queryBase = query.baseAddress else { return 0 }
                return VectorMath.dot(itemBase + Int(item) * f, queryBase, f)
            }
        }
    }

    mutating func observe(_ interaction: Interaction) {
        guard !itemGram.isEmpty else { return }
        let item: Int32
        if let known = space.index(of: interaction.item) {
            item = known
        } else if onlineItemRows != nil, unitGram != nil {
            item = space.insert(interaction.item)
            itemFactors.append(contentsOf: [Float](repeating: 0, count: f))
            onlineItemRows?[item] = [:]
        } else {
            return
        }
        let unit: Int
        if let known = unitIndex[interaction.unit] {
            unit = Int(known)
        } else {
            unit = unitRows.count
            unitIndex[interaction.unit] = Int32(unit)
            unitRows.append([:])
            userFactors.append(contentsOf: [Float](repeating: 0, count: f))
        }
        unitRows[unit][item, default: 0] += interaction.weight
        if onlineItemRows?[item] != nil { foldInItem(item, unit: Int32(unit), weight: interaction.weight) }
        var vector = Array(userFactors[(unit * f)..<((unit + 1) * f)])
        foldIn(&vector, row: unitRows[unit])
        userFactors.replaceSubrange((unit * f)..<((unit + 1) * f), with: vector)
    }

    /// Re-solves the factors of `item`, first seen online, against the units that touched it
    /// (the unit factors fixed, with the fit's unit Gram), and moves it in the index.
    mutating func foldInItem(_ item: Int32, unit: Int32, weight: Float) {
        guard let unitGram else { return }
        onlineItemRows?[item, default: [:]][unit, default: 0] += weight
        var vector = Array(itemFactors[(Int(item) * f)..<((Int(item) + 1) * f)])
        solve(&vector, row: onlineItemRows?[item] ?? [:], fixed: userFactors, gram: unitGram)
        itemFactors.replaceSubrange((Int(item) * f)..<((Int(item) + 1) * f), with: vector)
        let allRows = itemFactors
        index?.update(item: item, vector: vector, itemCount: space.count) { allRows }
    }

    /// Solves a unit's least squares against the fixed item factors: f CG steps, which is
    /// exact in exact arithmetic for an f-dimensional system.
    func foldIn(_ vector: inout [Float], row: [Int32: Float]) {
        solve(&vector, row: row, fixed: itemFactors, gram: itemGram)
    }

    /// Solves `vector`'s weighted least squares for `row` (column → confidence weight) against
    /// the `fixed` factors of the other side, whose Gram matrix is `gram`: f CG steps.
    private func solve(_ vector: inout [Float], row: [Int32: Float], fixed: [Float], gram: [Float]) {
        let entries = row.sorted { $0.key < $1.key }
        var scratch = ALSSolver.CGScratch(f: f)
        vector.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            ALSSolver.solveRow(
                base,
                columns: ArraySlice(entries.map(\.key)),
                values: ArraySlice(entries.map(\.value)),
                fixed: fixed,
                gram: gram,
                f: f,
                alpha: alpha,
                steps: f,
                scratch: &scratch
            )
        }
    }
}
