/// A fully connected layer y = x·Wᵀ + b over a batch of rows, weights stored outputs × inputs.
struct Dense: Sendable, Codable, Equatable {
    var weight: Matrix
    var bias: Matrix

    init(inputs: Int, outputs: Int, using generator: inout SeededGenerator) {
        weight = .glorot(rows: outputs, columns: inputs, using: &generator)
        bias = Matrix(rows: 1, columns: outputs)
    }

    /// The same shape with every value zero: a gradient accumulator.
    var zeroed: Dense {
        var copy = self
        copy.weight.zero()
        copy.bias.zero()
        return copy
    }

    /// B × outputs for a B × inputs batch.
    func forward(_ input: Matrix) -> Matrix {
        var output = Matrix.product(input, transposing: weight)
        output.addToEveryRow(bias)
        return output
    }

    /// Adds ∂L/∂W and ∂L/∂b to `gradient` and returns ∂L/∂input, given ∂L/∂output.
    func backward(input: Matrix, outputGradient: Matrix, into gradient: inout Dense) -> Matrix {
        Matrix.accumulateProduct(transposing: outputGradient, input, into: &gradient.weight)
        gradient.bias.addColumnSums(of: outputGradient)
        return Matrix.product(outputGradient, weight)
    }
}

extension Matrix {
    /// Adds a 1 × columns row to every row.
    mutating func addToEveryRow(_ row: Matrix) {
        for r in 0..<rows { for c in 0..<columns { values[r * columns + c] += row.values[c] } }
    }

    /// Adds the column sums of `other` (same width) to this 1 × columns row.
    mutating func addColumnSums(of other: Matrix) {
        for r in 0..<other.rows { for c in 0..<columns { values[c] += other.values[r * other.columns + c] } }
    }
}
