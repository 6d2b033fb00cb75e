import Foundation

/// A dense row-major Float matrix: the one tensor type of the neural layers. Saved as the
/// raw little-endian bytes of its values (base64 in JSON), so a round trip is bit-exact.
struct Matrix: Sendable, Equatable {
    private(set) var rows: Int
    let columns: Int
    var values: [Float]

    init(rows: Int, columns: Int, repeating value: Float = 0) {
        self.rows = rows
        self.columns = columns
        values = [Float](repeating: value, count: rows * columns)
    }

    init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "a \(rows)×\(columns) matrix needs \(rows * columns) values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Uniform in ±√(6 / (fanIn + fanOut)) (Glorot and Bengio 2010), the usual start for
    /// layers followed by tanh or sigmoid.
    static func glorot(rows: Int, columns: Int, using generator: inout SeededGenerator) -> Matrix {
        let bound = (6 / Float(max(1, rows + columns))).squareRoot()
        return uniform(rows: rows, columns: columns, bound: bound, using: &generator)
    }

    /// Uniform in ±bound.
    static func uniform(rows: Int, columns: Int, bound: Float, using generator: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in (2 * generator.unitFloat() - 1) * bound })
    }

    subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// One row as an array.
    func row(_ row: Int) -> [Float] {
        Array(values[(row * columns)..<((row + 1) * columns)])
    }

    /// The rows at `indices`, in that order (indices may repeat).
    func gathering(rows indices: [Int]) -> Matrix {
        var result = Matrix(rows: indices.count, columns: columns)
        for (target, source) in indices.enumerated() {
            result.values.replaceSubrange((target * columns)..<((target + 1) * columns), with: values[(source * columns)..<((source + 1) * columns)])
        }
        return result
    }

    /// Adds row r of `rowsToAdd` to row `indices[r]` of this matrix (repeated indices add up).
    mutating func scatterAdd(_ rowsToAdd: Matrix, at indices: [Int]) {
        for (source, target) in indices.enumerated() {
            for column in 0..<columns { values[target * columns + column] += rowsToAdd.values[source * columns + column] }
        }
    }

    /// Appends rows (all zero), for tables that grow.
    mutating func appendRows(_ count: Int) {
        values.append(contentsOf: repeatElement(0, count: count * columns))
        rows += count
    }

    /// Sets every value to zero, keeping the shape.
    mutating func zero() {
        values.withUnsafeMutableBufferPointer { buffer in buffer.update(repeating: 0) }
    }

    /// Elementwise in place.
    mutating func apply(_ transform: (Float) -> Float) {
        for index in values.indices { values[index] = transform(values[index]) }
    }
}

extension Matrix: Codable {
    private enum CodingKeys: String, CodingKey { case rows, columns, values }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rows = try container.decode(Int.self, forKey: .rows)
        let columns = try container.decode(Int.self, forKey: .columns)
        let bytes = try container.decode(Data.self, forKey: .values)
        guard rows >= 0, columns >= 0, bytes.count == rows * columns * MemoryLayout<Float>.size else {
            throw DecodingError.dataCorruptedError(forKey: .values, in: container, debugDescription: "value bytes do not match \(rows)×\(columns)")
        }
        let values = bytes.withUnsafeBytes { raw in
            (0..<(rows * columns)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        self.init(rows: rows, columns: columns, values: values)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        var bytes = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        try container.encode(bytes, forKey: .values)
    }
}
