import Foundation

/// Elementwise nonlinearities, each with its derivative written in terms of its output, which
/// is what backpropagation keeps.
enum Activation {
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }

    /// σ′ = y(1 − y) for y = σ(x).
    static func sigmoidDerivative(output y: Float) -> Float { y * (1 - y) }

    /// tanh′ = 1 − y² for y = tanh(x).
    static func tanhDerivative(output y: Float) -> Float { 1 - y * y }

    /// ∂L/∂x = ∂L/∂y · tanh′, elementwise over a batch whose tanh outputs are `output`.
    static func tanhBackward(output: Matrix, outputGradient: Matrix) -> Matrix {
        var result = outputGradient
        for index in result.values.indices { result.values[index] *= tanhDerivative(output: output.values[index]) }
        return result
    }
}
