import Foundation

/// Bayesian personalised ranking (Rendle et al. 2009): matrix factorisation with item biases
/// trained by SGD on (unit, positive, sampled negative) triples to rank positives above
/// negatives. Serial and seeded, so a fit is reproducible. Online: a unit's new positive
/// triggers a few SGD steps on that unit's factors only (items fixed). Large catalogues are
/// ranked through an HNSW index over [item factors, item bias], queried with [unit factors, 1].
struct BPRModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "bpr",
        summary: "Bayesian personalised ranking matrix factorisation with sampled negatives.",
        parameters: [
            ParameterDescription(name: "factors", kind: .integer(minimum: 1, maximum: 1024), defaultValue: "32", summary: "Latent dimensions."),
            ParameterDescription(
                name: "learning_rate",
                kind: .real(minimum: 0, maximum: 10),
                defaultValue: "0.05",
                summary: "SGD step size."
            ),
            ParameterDescription(name: "regularization", kind: .real(minimum: 0, maximum: nil), defaultValue: "0.01", summary: "L2 penalty."),
            ParameterDescription(
                name: "iterations",
                kind: .integer(minimum: 1, maximum: 10_000),
                defaultValue: "50",
                summary: "Epochs, each as many triples as positive pairs."
            ),
            ParameterDescription(
                name: "seed",
                kind: .integer(minimum: 0, maximum: nil),
                defaultValue: "42",
                summary: "Seed of initialisation and sampling."
            ),
        ] + IndexSettings.parameters
    )

    let f: Int
    let learningRate: Float
    let regularization: Float
    let iterations: Int
    var generator: SeededGenerator
    var space = ItemSpace(ids: [], attributes: [])
    var unitIndex: [String: Int32] = [:]
    var positives: [Set<Int32>] = []
    @PackedFloats var userFactors: [Float] = []
    @PackedFloats var itemFactors: [Float] = []
    @PackedFloats var itemBias: [Float] = []
    /// The HNSW index over each item's factors followed by its bias (inactive below
    /// `index_min_items`); nil in models saved before the index existed, which rank exactly.
    var index: EmbeddingIndex?

    init(parameters: ResolvedParameters) {
        f = parameters.integer("factors")
        learningRate = Float(parameters.real("learning_rate"))
        regularization = Float(parameters.real("regularization"))
        iterations = parameters.integer("iterations")
        generator = SeededGenerator(seed: UInt64(parameters.integer("seed")))
        index = EmbeddingIndex(settings: IndexSettings(parameters, seed: parameters.integer("seed")))
    }

    mutating func fit(_ data: TrainingData) throws(StrategyError) {
        space = data.space
        unitIndex = Dictionary(uniqueKeysWithValues: data.units.enumerated().map { ($1, Int32($0)) })
        positives = data.units.indices.map { Set(data.events(ofUnit: $0).map(\.item)) }
        userFactors = (0..<(data.units.count * f)).map { _ in initialValue() }
        itemFactors = (0..<(space.count * f)).map { _ in initialValue() }
        itemBias = [Float](repeating: 0, count: space.count)
        var pairs: [(unit: Int32, item: Int32)] = []
        for (unit, items) in positives.enumerated() { for item in items.sorted() { pairs.append((Int32(unit), item)) } }
        if !pairs.isEmpty, space.count > 1 {
            for _ in 0..<iterations {
                for _ in 0..<pairs.count {
                    let pair = pairs[generator.below(pairs.count)]
                    step(unit: Int(pair.unit), positive: Int(pair.item), updateItems: true)
                }
            }
        }
        let rows = indexRows()
        try index?.build(rows: rows, dimensions: f + 1)
    }

    /// Each item's factors followed by its bias: x_u·y_i + b_i is then one inner product with [x_u, 1].
    func indexRows() -> [Float] {
        var rows = [Float]()
        rows.reserveCapacity(space.count * (f + 1))
        for item in 0..<space.count {
            rows.append(contentsOf: itemFactors[(item * f)..<((item + 1) * f)])
            rows.append(itemBias[item])
        }
        return rows
    }

    private mutating func initialValue() -> Float {
        (generator.unitFloat() - 0.5) / Float(f)
    }

    /// One SGD step on ln σ(x_ui − x_uj) − λ‖θ‖² for a sampled negative j.
    private mutating func step(unit: Int, positive: Int, updateItems: Bool) {
        var negative = generator.below(space.count)
        var attempts = 0
        while positives[unit].contains(Int32(negative)) && attempts < 10 {
            negative = generator.below(space.count)
            attempts += 1
        }
        guard !positives[unit].contains(Int32(negative)) else { return }
        let (f, rate, lambda) = (f, learningRate, regularization)
        // The wrappers' storage directly: two stored properties may be borrowed at once, two
        // accesses through the wrapped (computed) properties may not.
        let (positiveBias, negativeBias) = (itemBias[positive], itemBias[negative])
        let gradient = _userFactors.wrappedValue.withUnsafeMutableBufferPointer { users in
            _itemFactors.wrappedValue.withUnsafeMutableBufferPointer { items -> Float in
                guard let userBase = users.baseAddress, let itemBase = items.baseAddress else { return 0 }
                let (u, i, j) = (userBase + unit * f, itemBase + positive * f, itemBase + negative * f)
                let difference = VectorMath.dot(u, i, f) - VectorMath.dot(u, j, f) + positiveBias - negativeBias
                // d/dθ ln σ(x) = σ(−x) · dx/dθ
                let gradient = 1 / (1 + exp(difference))
                for d in 0..<f {
                    let (ud, id, jd) = (u[d], i[d], j[d])
                    u[d] += rate * (gradient * (id - jd) - lambda * ud)
                    if updateItems {
                        i[d] += rate * (gradient * ud - lambda * id)
                        j[d] += rate * (-gradient * ud - lambda * jd)
                    }
                }
                return gradient
            }
        }
        if updateItems {
            _itemBias.wrappedValue[positive] += rate * (gradient - lambda * positiveBias)
            _itemBias.wrappedValue[negative] += rate * (-gradient - lambda * negativeBias)
        }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        guard let unit = unitIndex[request.unit].map(Int.init) else { return [] }
        let vector = Array(userFactors[(unit * f)..<((unit + 1) * f)])
        let ranker = Ranker(space: space, request: request)
        let exact = {
            var scores = VectorMath.matrixVector(itemFactors, columns: f, vector)
            for item in scores.indices { scores[item] += itemBias[item] }
            return ranker.top(dense: scores)
        }
        guard let index else { return exact() }
        return index.top(query: vector + [1], ranker: ranker, itemCount: space.count, score: { score(item: $0, vector) }, exact: exact)
    }

    /// x_u·y_i + b_i, the score exact ranking gives.
    func score(item: Int32, _ vector: [Float]) -> Float {
        let dot = itemFactors.withUnsafeBufferPointer { items in
            vector.withUnsafeBufferPointer { query in
                guard let itemBase = items.baseAddress, let queryBase = query.baseAddress else { return Float(0) }
                return VectorMath.dot(itemBase + Int(item) * f, queryBase, f)
            }
        }
        return dot + itemBias[Int(item)]
    }

    /// Steps on the unit's factors only, pairing the new positive and then earlier ones with
    /// sampled negatives; a new unit starts from small random factors.
    mutating func observe(_ interaction: Interaction) {
        guard let item = space.index(of: interaction.item), space.count > 1 else { return }
        let unit: Int
        if let known = unitIndex[interaction.unit] {
            unit = Int(known)
        } else {
            unit = positives.count
            unitIndex[interaction.unit] = Int32(unit)
            positives.append([])
            for _ in 0..<f { userFactors.append(initialValue()) }
        }
        positives[unit].insert(item)
        let earlier = positives[unit].sorted()
        for round in 0..<Self.onlineSteps {
            let positive = round.isMultiple(of: 2) ? item : earlier[generator.below(earlier.count)]
            step(unit: unit, positive: Int(positive), updateItems: false)
        }
    }

    /// SGD steps per observed interaction.
    static let onlineSteps = 50
}
