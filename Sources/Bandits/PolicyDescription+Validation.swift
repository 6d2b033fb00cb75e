extension PolicyDescription {
    /// Checks every parameter is in its documented range.
    public func validate() throws(BanditsError) {
        switch self {
        case .thompson(let model):
            try model.validate()
        case .topTwoThompson(let model, let beta):
            try model.validate()
            try require(beta, "beta", "in (0, 1]") { $0 > 0 && $0 <= 1 }
        case .ucb1(let exploration):
            try require(exploration, "exploration", "finite and ≥ 0") { $0.isFinite && $0 >= 0 }
        case .ucbTuned:
            break
        case .epsilonGreedy(let epsilon, let decay):
            try require(epsilon, "epsilon", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
            switch decay {
            case .none: break
            case .inverse(let rate): try require(rate, "decay rate", "finite and ≥ 0") { $0.isFinite && $0 >= 0 }
            case .exponential(let halfLife): try require(halfLife, "decay half-life", "finite and > 0") { $0.isFinite && $0 > 0 }
            }
        case .softmax(let temperature):
            try require(temperature, "temperature", "finite and > 0") { $0.isFinite && $0 > 0 }
        case .fixed(let weights):
            guard !weights.isEmpty else { throw .noArms }
            for (arm, weight) in weights.sorted(by: { $0.key < $1.key }) {
                try require(weight, "weight of \(arm)", "finite and ≥ 0") { $0.isFinite && $0 >= 0 }
            }
            let total = weights.values.reduce(0, +)
            try require(total, "sum of fixed weights", "> 0") { $0 > 0 }
        }
    }
}

extension PolicyDescription.RewardModel {
    /// Checks the prior's parameters are positive and finite.
    public func validate() throws(BanditsError) {
        switch self {
        case .bernoulli(let alpha, let beta):
            try require(alpha, "prior alpha", "finite and > 0") { $0.isFinite && $0 > 0 }
            try require(beta, "prior beta", "finite and > 0") { $0.isFinite && $0 > 0 }
        case .normal(let mean, let sd):
            try require(mean, "prior mean", "finite") { $0.isFinite }
            try require(sd, "prior standard deviation", "finite and > 0") { $0.isFinite && $0 > 0 }
        }
    }
}

/// Throws `invalidParameter` unless `value` passes `check`.
func require(_ value: Double, _ name: String, _ requirement: String, _ check: (Double) -> Bool) throws(BanditsError) {
    guard check(value) else { throw .invalidParameter(name: name, value: value, requirement: requirement) }
}
