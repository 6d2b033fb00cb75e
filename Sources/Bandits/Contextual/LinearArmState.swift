/// What one arm's ridge regression has learned, as stored in a checkpoint: the design matrix
/// A = λI + Σ x·xᵀ (row-major, d×d), the response b = Σ r·x and the number of updates. A⁻¹ is
/// not stored: it is recomputed from A by Cholesky when the state is restored.
public struct LinearArmState: Sendable, Hashable, Codable {
    /// A, row-major.
    public var designMatrix: [Double]
    /// b.
    public var response: [Double]
    /// The observations added since the prior.
    public var updates: Int

    /// A state from its parts.
    public init(designMatrix: [Double], response: [Double], updates: Int) {
        self.designMatrix = designMatrix
        self.response = response
        self.updates = updates
    }
}

extension LinearArmModel {
    /// The model's learned state.
    var state: LinearArmState {
        LinearArmState(designMatrix: designMatrix, response: response, updates: updates)
    }

    /// The model holding `state`; nil when its sizes do not match `dimension` or A is not
    /// positive definite (a corrupt checkpoint).
    init?(state: LinearArmState, dimension d: Int) {
        guard state.designMatrix.count == d * d, state.response.count == d, state.updates >= 0,
            state.designMatrix.allSatisfy(\.isFinite), state.response.allSatisfy(\.isFinite),
            let factor = Cholesky(state.designMatrix, dimension: d)
        else { return nil }
        self.init(dimension: d, designMatrix: state.designMatrix, inverse: factor.inverse(), response: state.response, updates: state.updates)
    }
}
