import Stats

extension ContextualEnvironment {
    /// The arms of `deviceAndTenure`, in column order.
    public static let deviceAndTenureArms = ["popularity", "item_knn", "als"]

    /// A linear truth where the best arm depends on the user: x = (1, mobile, tenure), with
    /// mobile ~ Bernoulli(½) and tenure ~ U(0, 1), and click probabilities
    /// popularity 0.25 + 0.15·mobile − 0.20·tenure (new mobile users), item_knn 0.10 + 0.30·tenure
    /// (long histories), als 0.20 (a flat middle). Averaged over users item_knn is the best single
    /// arm (0.25 against 0.225 and 0.20), but each segment has its own winner.
    public static func deviceAndTenure(decisions: Int, seed: UInt64) -> ContextualEnvironment {
        var generator = SplitMix64(seed: seed)
        var contexts: [[Double]] = []
        var means: [[Double]] = []
        var uniforms: [Double] = []
        contexts.reserveCapacity(decisions)
        for _ in 0..<decisions {
            let mobile: Double = generator.nextUnitDouble() < 0.5 ? 1 : 0
            let tenure = generator.nextUnitDouble()
            contexts.append([1, mobile, tenure])
            means.append([0.25 + 0.15 * mobile - 0.20 * tenure, 0.10 + 0.30 * tenure, 0.20])
            uniforms.append(generator.nextUnitDouble())
        }
        // Rows and widths agree by construction.
        return ContextualEnvironment(uncheckedContexts: contexts, means: means, uniforms: uniforms)
    }

    init(uncheckedContexts contexts: [[Double]], means: [[Double]], uniforms: [Double]) {
        self.contexts = contexts
        self.means = means
        self.uniforms = uniforms
    }
}
