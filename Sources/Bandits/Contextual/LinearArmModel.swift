/// One arm's ridge regression of reward on context (the "disjoint" model of Li et al. 2010):
/// A = λI + Σ x·xᵀ, b = Σ r·x, θ̂ = A⁻¹b. A⁻¹ is kept up to date by Sherman–Morrison,
/// A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x), in O(d²) per update, and recomputed from A by
/// Cholesky every `refactorInterval` updates so rounding errors cannot accumulate.
struct LinearArmModel: Sendable, Hashable {
    static let refactorInterval = 512

    let dimension: Int
    private(set) var designMatrix: [Double]
    private(set) var inverse: [Double]
    private(set) var response: [Double]
    private(set) var updates = 0

    /// The prior model: A = ridge·I, b = 0.
    init(dimension d: Int, ridge: Double) {
        dimension = d
        designMatrix = [Double](repeating: 0, count: d * d)
        inverse = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            designMatrix[i * d + i] = ridge
            inverse[i * d + i] = 1 / ridge
        }
        response = [Double](repeating: 0, count: d)
    }

    /// A model from its parts (`init?(state:dimension:)` checks them).
    init(dimension: Int, designMatrix: [Double], inverse: [Double], response: [Double], updates: Int) {
        self.dimension = dimension
        self.designMatrix = designMatrix
        self.inverse = inverse
        self.response = response
        self.updates = updates
    }

    /// A⁻¹x.
    func inverseTimes(_ x: [Double]) -> [Double] {
        let d = dimension
        return (0..<d).map { row in
            var s = 0.0
            for k in 0..<d { s += inverse[row * d + k] * x[k] }
            return s
        }
    }

    /// The predicted reward xᵀθ̂ and the quadratic form xᵀA⁻¹x (its uncertainty).
    func prediction(for x: [Double]) -> (mean: Double, variance: Double) {
        let ax = inverseTimes(x)
        var mean = 0.0
        var variance = 0.0
        for k in 0..<dimension {
            mean += ax[k] * response[k]  // xᵀA⁻¹b, A⁻¹ symmetric
            variance += ax[k] * x[k]
        }
        return (mean, max(0, variance))
    }

    /// Adds one observation (x, r).
    mutating func update(context x: [Double], reward r: Double) {
        let d = dimension
        let ax = inverseTimes(x)
        var denominator = 1.0
        for k in 0..<d { denominator += x[k] * ax[k] }
        for i in 0..<d {
            response[i] += r * x[i]
            for j in 0..<d {
                designMatrix[i * d + j] += x[i] * x[j]
                inverse[i * d + j] -= ax[i] * ax[j] / denominator
            }
        }
        updates += 1
        if updates % Self.refactorInterval == 0, let factor = Cholesky(designMatrix, dimension: d) {
            inverse = factor.inverse()
        }
    }
}
