import Foundation

/// One gated recurrent unit layer (Cho et al. 2014), over a batch of rows:
///
///     r = σ(x·W_rᵀ + h·U_rᵀ + b_r)        reset gate
///     z = σ(x·W_zᵀ + h·U_zᵀ + b_z)        update gate
///     n = tanh(x·W_nᵀ + (r ⊙ h)·U_nᵀ + b_n) candidate
///     h′ = (1 − z) ⊙ h + z ⊙ n
///
/// `inputWeight` stacks W_r, W_z, W_n (3H × D); `gateWeight` stacks U_r, U_z (2H × H).
struct GRUCell: Sendable, Codable, Equatable {
    var inputWeight: Matrix
    var gateWeight: Matrix
    var candidateWeight: Matrix
    var bias: Matrix

    /// What the backward pass needs from the forward pass.
    struct Cache: Sendable {
        var input: Matrix
        var hidden: Matrix
        var reset: Matrix
        var update: Matrix
        var candidate: Matrix
        var resetHidden: Matrix
    }

    init(inputs: Int, hidden: Int, using generator: inout SeededGenerator) {
        inputWeight = .glorot(rows: 3 * hidden, columns: inputs, using: &generator)
        gateWeight = .glorot(rows: 2 * hidden, columns: hidden, using: &generator)
        candidateWeight = .glorot(rows: hidden, columns: hidden, using: &generator)
        bias = Matrix(rows: 1, columns: 3 * hidden)
    }

    var hiddenSize: Int { candidateWeight.rows }
    var inputSize: Int { inputWeight.columns }

    var zeroed: GRUCell {
        var copy = self
        for path in [\GRUCell.inputWeight, \.gateWeight, \.candidateWeight, \.bias] { copy[keyPath: path].zero() }
        return copy
    }

    /// The next hidden state for a B × D input and a B × H state, with the cache for `backward`.
    func forward(_ input: Matrix, hidden: Matrix) -> (output: Matrix, cache: Cache) {
        let size = hiddenSize
        var preactivation = Matrix.product(input, transposing: inputWeight)
        preactivation.addToEveryRow(bias)
        let gates = Matrix.product(hidden, transposing: gateWeight)
        var reset = Matrix(rows: input.rows, columns: size)
        var update = Matrix(rows: input.rows, columns: size)
        for row in 0..<input.rows {
            for unit in 0..<size {
                reset[row, unit] = Activation.sigmoid(preactivation[row, unit] + gates[row, unit])
                update[row, unit] = Activation.sigmoid(preactivation[row, size + unit] + gates[row, size + unit])
            }
        }
        var resetHidden = reset
        for index in resetHidden.values.indices { resetHidden.values[index] *= hidden.values[index] }
        var candidate = Matrix.product(resetHidden, transposing: candidateWeight)
        var output = hidden
        for row in 0..<input.rows {
            for unit in 0..<size {
                let n = tanh(candidate[row, unit] + preactivation[row, 2 * size + unit])
                candidate[row, unit] = n
                let z = update[row, unit]
                output[row, unit] = (1 - z) * hidden[row, unit] + z * n
            }
        }
        let cache = Cache(input: input, hidden: hidden, reset: reset, update: update, candidate: candidate, resetHidden: resetHidden)
        return (output, cache)
    }

    /// Adds the weight gradients to `gradient` and returns ∂L/∂input and ∂L/∂hidden, given ∂L/∂h′.
    func backward(_ cache: Cache, outputGradient: Matrix, into gradient: inout GRUCell) -> (input: Matrix, hidden: Matrix) {
        let (size, count) = (hiddenSize, outputGradient.rows)
        var hiddenGradient = Matrix(rows: count, columns: size)
        var candidateGradient = Matrix(rows: count, columns: size)
        var updateGradient = Matrix(rows: count, columns: size)
        for row in 0..<count {
            for unit in 0..<size {
                let (dOut, z, n, h) = (outputGradient[row, unit], cache.update[row, unit], cache.candidate[row, unit], cache.hidden[row, unit])
                hiddenGradient[row, unit] = dOut * (1 - z)
                candidateGradient[row, unit] = dOut * z * Activation.tanhDerivative(output: n)
                updateGradient[row, unit] = dOut * (n - h) * Activation.sigmoidDerivative(output: z)
            }
        }
        Matrix.accumulateProduct(transposing: candidateGradient, cache.resetHidden, into: &gradient.candidateWeight)
        let resetHiddenGradient = Matrix.product(candidateGradient, candidateWeight)
        var preactivationGradient = Matrix(rows: count, columns: 3 * size)
        var gateGradient = Matrix(rows: count, columns: 2 * size)
        for row in 0..<count {
            for unit in 0..<size {
                let dResetHidden = resetHiddenGradient[row, unit]
                let r = cache.reset[row, unit]
                hiddenGradient[row, unit] += dResetHidden * r
                let dReset = dResetHidden * cache.hidden[row, unit] * Activation.sigmoidDerivative(output: r)
                preactivationGradient[row, unit] = dReset
                preactivationGradient[row, size + unit] = updateGradient[row, unit]
                preactivationGradient[row, 2 * size + unit] = candidateGradient[row, unit]
                gateGradient[row, unit] = dReset
                gateGradient[row, size + unit] = updateGradient[row, unit]
            }
        }
        Matrix.accumulateProduct(transposing: preactivationGradient, cache.input, into: &gradient.inputWeight)
        gradient.bias.addColumnSums(of: preactivationGradient)
        Matrix.accumulateProduct(transposing: gateGradient, cache.hidden, into: &gradient.gateWeight)
        let fromGates = Matrix.product(gateGradient, gateWeight)
        for index in hiddenGradient.values.indices { hiddenGradient.values[index] += fromGates.values[index] }
        return (Matrix.product(preactivationGradient, inputWeight), hiddenGradient)
    }
}
