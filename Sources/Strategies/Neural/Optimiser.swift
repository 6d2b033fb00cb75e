import Foundation

/// Gradient-descent rules for the neural models, updating either every row of a parameter
/// or only the rows a step touched (embedding tables, where most rows have zero gradient).
enum OptimiserKind: String, Sendable, Codable, CaseIterable {
    /// Per-coordinate step size lr / √(Σ g²) (Duchi et al. 2011), GRU4Rec's default.
    case adagrad
    /// Bias-corrected first and second moments (Kingma and Ba 2015), lazily on sparse rows.
    case adam
}

/// A parameter's optimiser memory: Adagrad's sum of squares, or Adam's two moments.
struct OptimiserState: Sendable {
    var first: [Float]
    var second: [Float]

    init(count: Int) {
        first = [Float](repeating: 0, count: count)
        second = [Float](repeating: 0, count: count)
    }
}

/// One optimiser with its learning rate and step count.
struct Optimiser: Sendable {
    let kind: OptimiserKind
    let learningRate: Float
    let beta1: Float = 0.9
    let beta2: Float = 0.999
    let epsilon: Float = 1e-8
    private(set) var steps = 0

    init(kind: OptimiserKind, learningRate: Float) {
        self.kind = kind
        self.learningRate = learningRate
    }

    /// Starts a step; call once before the `update`s of one mini-batch.
    mutating func beginStep() { steps += 1 }

    /// Moves `value` against `gradient` on the given rows (every row when nil) and zeroes
    /// those rows of the gradient for the next step.
    func update(_ value: inout Matrix, gradient: inout Matrix, state: inout OptimiserState, rows: [Int]?) {
        let width = value.columns
        let correction1 = 1 - pow(beta1, Float(steps))
        let correction2 = 1 - pow(beta2, Float(steps))
        func apply(_ index: Int) {
            let g = gradient.values[index]
            gradient.values[index] = 0
            switch kind {
            case .adagrad:
                state.second[index] += g * g
                value.values[index] -= learningRate * g / (state.second[index].squareRoot() + 1e-6)
            case .adam:
                state.first[index] = beta1 * state.first[index] + (1 - beta1) * g
                state.second[index] = beta2 * state.second[index] + (1 - beta2) * g * g
                let mean = state.first[index] / correction1
                let variance = state.second[index] / correction2
                value.values[index] -= learningRate * mean / (variance.squareRoot() + epsilon)
            }
        }
        if let rows {
            for row in Set(rows).sorted() { for column in 0..<width { apply(row * width + column) } }
        } else {
            for index in value.values.indices { apply(index) }
        }
    }
}
