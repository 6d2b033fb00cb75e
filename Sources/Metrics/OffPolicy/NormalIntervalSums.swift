/// The running sums behind `StreamingIntervalMethod.normal`: per estimator, the moments of its
/// per-decision contribution, and for DM and DR the pieces of the sandwich term that carries the
/// reward model's own estimation error (see docs/ope.md, "Streaming").
///
/// With θ̂ = (1/n) Σ f_i(β̂) and β̂_a the ridge fit of action a, the influence of decision i is
/// ψ_i = (f_i − θ̂) + h_{a_i}ᵀ z_i e_i, where e_i is its residual and h_a = (XᵀX_a + Λ)⁻¹ Σ_j ∂f_j/∂β_a,
/// so Σψ² = Σ(f − θ̂)² + 2 Σ_a h_aᵀ(T_a − θ̂ S_a) + Σ_a h_aᵀ U_a h_a with S_a = Σ z e, T_a = Σ f z e,
/// U_a = Σ z zᵀ e² over the decisions that took a.
struct NormalIntervalSums: Sendable {
    let actionCount: Int
    let width: Int
    private(set) var count = 0.0
    /// Σf and Σf² per estimator slot.
    private(set) var sums: [Double]
    private(set) var squares: [Double]
    // SNIPS: Σw, Σw², Σw²r, Σw²r².
    private var weightSum = 0.0
    private var weightSquares = 0.0
    private var weightSquaresReward = 0.0
    private var weightSquaresRewardSquares = 0.0
    // Sandwich pieces, per action (DM then DR where two are kept).
    private var residualMoment: [Double]
    private var residualSquares: [Double]
    private var directCross: [Double]
    private var robustCross: [Double]
    private var directGradient: [Double]
    private var robustGradient: [Double]

    init(estimatorCount: Int, actionCount: Int, width: Int) {
        self.actionCount = actionCount
        self.width = width
        sums = [Double](repeating: 0, count: estimatorCount)
        squares = sums
        residualMoment = [Double](repeating: 0, count: actionCount * width)
        residualSquares = [Double](repeating: 0, count: actionCount * width * width)
        directCross = residualMoment
        robustCross = residualMoment
        directGradient = residualMoment
        robustGradient = residualMoment
    }

    /// Adds one decision whose per-estimator contributions are `contributions`; `z` is the model's
    /// input, `distribution` π(·|x) (empty without a model), `residual` r − q̂(x, a).
    mutating func add(
        contributions: [Double],
        weight w: Double,
        reward r: Double,
        action: Int,
        z: [Double],
        distribution: [Double],
        direct: Double,
        residual: Double
    ) {
        count += 1
        for slot in contributions.indices {
            sums[slot] += contributions[slot]
            squares[slot] += contributions[slot] * contributions[slot]
        }
        weightSum += w
        weightSquares += w * w
        weightSquaresReward += w * w * r
        weightSquaresRewardSquares += w * w * r * r
        guard !distribution.isEmpty else { return }
        let robust = direct + w * residual
        for row in 0..<width {
            let scaled = z[row] * residual
            residualMoment[action * width + row] += scaled
            directCross[action * width + row] += direct * scaled
            robustCross[action * width + row] += robust * scaled
            robustGradient[action * width + row] -= w * z[row]
            for column in 0..<width { residualSquares[(action * width + row) * width + column] += scaled * z[column] * residual }
        }
        for candidateAction in 0..<actionCount where distribution[candidateAction] > 0 {
            for row in 0..<width {
                directGradient[candidateAction * width + row] += distribution[candidateAction] * z[row]
                robustGradient[candidateAction * width + row] += distribution[candidateAction] * z[row]
            }
        }
    }

    /// The standard error of each estimator at its point estimate `values`.
    func standardErrors(_ estimators: [OffPolicyEstimator], values: [Double], model: RewardModelStatistics?) -> [Double] {
        guard count > 1 else { return estimators.map { _ in .nan } }
        let n = count
        return estimators.indices.map { slot in
            let theta = values[slot]
            var influence = squares[slot] - 2 * theta * sums[slot] + n * theta * theta
            switch estimators[slot] {
            case .selfNormalizedInversePropensity:
                let meanWeight = weightSum / n
                guard meanWeight > 0 else { return .nan }
                influence = (weightSquaresRewardSquares - 2 * theta * weightSquaresReward + theta * theta * weightSquares) / (meanWeight * meanWeight)
            case .directMethod:
                if let model { influence += sandwich(model: model, theta: theta, cross: directCross, gradient: directGradient) }
            case .doublyRobust:
                if let model { influence += sandwich(model: model, theta: theta, cross: robustCross, gradient: robustGradient) }
            case .inversePropensity:
                break
            }
            return (max(influence, 0) / (n * (n - 1))).squareRoot()
        }
    }

    /// 2 Σ_a h_aᵀ(T_a − θ S_a) + Σ_a h_aᵀ U_a h_a for one estimator's cross sums and gradient.
    private func sandwich(model: RewardModelStatistics, theta: Double, cross: [Double], gradient: [Double]) -> Double {
        var total = 0.0
        for action in 0..<actionCount where model.counts[action] > 0 {
            let base = action * width
            guard let h = model.solve(action: action, Array(gradient[base..<(base + width)])) else { continue }
            for row in 0..<width {
                total += 2 * h[row] * (cross[base + row] - theta * residualMoment[base + row])
                for column in 0..<width { total += h[row] * residualSquares[(base + row) * width + column] * h[column] }
            }
        }
        return total
    }
}
