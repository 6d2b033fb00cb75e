/// The additive sufficient statistics of the reward model q̂(x, a), accumulated one decision at a
/// time: per action the count, XᵀX (lower triangle) and Xᵀy over z = [1, context…], plus the overall
/// reward total. Fitting them gives exactly the model `RewardModel.fit` gives on the same decisions.
struct RewardModelStatistics: Sendable {
    let kind: RewardModelKind
    let actionCount: Int
    let featureCount: Int
    /// Entries of z the model uses: 1 (intercept only) for per-action means, else 1 + features.
    let width: Int
    private(set) var counts: [Double]
    private(set) var gram: [Double]
    private(set) var moment: [Double]
    private(set) var totalWeight = 0.0
    private(set) var totalReward = 0.0

    init(kind: RewardModelKind, actionCount: Int, featureCount: Int) {
        self.kind = kind
        self.actionCount = actionCount
        self.featureCount = featureCount
        width = Self.width(kind: kind, featureCount: featureCount)
        counts = [Double](repeating: 0, count: actionCount)
        gram = [Double](repeating: 0, count: actionCount * width * width)
        moment = [Double](repeating: 0, count: actionCount * width)
    }

    /// Entries of z a model of `kind` uses.
    static func width(kind: RewardModelKind, featureCount: Int) -> Int {
        if case .ridge = kind { featureCount + 1 } else { 1 }
    }

    /// Counts one decision `multiplicity` times; `z` is [1, context…] (only the first `width` are read).
    mutating func add(z: [Double], action: Int, reward: Double, multiplicity m: Double) {
        totalWeight += m
        totalReward += m * reward
        guard m > 0 else { return }
        counts[action] += m
        let square = width * width
        for row in 0..<width {
            let scaled = m * z[row]
            moment[action * width + row] += scaled * reward
            for column in 0...row { gram[action * square + row * width + column] += scaled * z[column] }
        }
    }

    /// The mean reward over every decision, which an action without data predicts.
    var overallMean: Double { totalWeight > 0 ? totalReward / totalWeight : 0 }

    /// XᵀX of `action` made symmetric, with the ridge penalty on the features and a negligible one
    /// on the intercept (the same matrix `RewardModel.fit` solves).
    func regularisedGram(of action: Int) -> [Double] {
        let square = width * width
        var matrix = Array(gram[(action * square)..<((action + 1) * square)])
        let lambda: Double = if case .ridge(let value) = kind { value } else { 0 }
        for row in 0..<width {
            for column in 0..<row { matrix[column * width + row] = matrix[row * width + column] }
            matrix[row * width + row] += row == 0 ? 1e-9 : lambda
        }
        return matrix
    }

    /// Solves the regularised normal equations of `action` for `rhs`; nil when singular.
    func solve(action: Int, _ rhs: [Double]) -> [Double]? {
        if case .perActionMean = kind { return counts[action] > 0 ? rhs.map { $0 / counts[action] } : nil }
        return CholeskySolver.solve(regularisedGram(of: action), rhs, dimension: width)
    }

    /// The fitted model with coefficients on [1, context…] (zero on features for per-action means).
    func fit() -> RewardModel {
        let full = featureCount + 1
        var coefficients = [Double](repeating: 0, count: actionCount * full)
        for action in 0..<actionCount {
            coefficients[action * full] = overallMean
            guard counts[action] > 0 else { continue }
            let rhs = Array(moment[(action * width)..<((action + 1) * width)])
            if let solution = solve(action: action, rhs) {
                for column in 0..<width { coefficients[action * full + column] = solution[column] }
            }
        }
        return RewardModel(coefficients: coefficients, width: full)
    }
}
