/// The trainable matrices of a model's weights (named by key paths), their gradients and their
/// optimiser states: a training loop accumulates into `gradient`, then calls `step`.
struct Trainer<Weights> {
    private let paths: [WritableKeyPath<Weights, Matrix>]
    private let sparse: Set<WritableKeyPath<Weights, Matrix>>
    private var states: [OptimiserState]
    private var optimiser: Optimiser
    /// Same shape as the weights; zero between steps.
    var gradient: Weights

    /// `sparse` lists the embedding tables whose rows are updated only when a step touches them.
    init(
        weights: Weights,
        zeroed: Weights,
        paths: [WritableKeyPath<Weights, Matrix>],
        sparse: Set<WritableKeyPath<Weights, Matrix>>,
        optimiser: Optimiser
    ) {
        self.paths = paths
        self.sparse = sparse
        self.optimiser = optimiser
        gradient = zeroed
        states = paths.map { OptimiserState(count: weights[keyPath: $0].values.count) }
    }

    /// Applies the accumulated gradient to `weights` and clears it; `touchedRows` gives, for
    /// each sparse table, the rows this step's gradient touched.
    mutating func step(_ weights: inout Weights, touchedRows: [WritableKeyPath<Weights, Matrix>: [Int]]) {
        optimiser.beginStep()
        for (index, path) in paths.enumerated() {
            let rows: [Int]? = sparse.contains(path) ? touchedRows[path] ?? [] : nil
            optimiser.update(&weights[keyPath: path], gradient: &gradient[keyPath: path], state: &states[index], rows: rows)
        }
    }
}
