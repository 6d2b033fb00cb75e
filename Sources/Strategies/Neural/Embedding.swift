/// A lookup table of learned vectors, one row per id (item or token). Its gradient touches
/// only the rows looked up, so optimisers update those rows alone.
struct Embedding: Sendable, Codable, Equatable {
    var table: Matrix

    init(count: Int, dimensions: Int, using generator: inout SeededGenerator) {
        table = .uniform(rows: count, columns: dimensions, bound: 1 / Float(dimensions).squareRoot(), using: &generator)
    }

    init(table: Matrix) {
        self.table = table
    }

    var zeroed: Embedding { Embedding(table: Matrix(rows: table.rows, columns: table.columns)) }

    /// One row per id.
    func lookup(_ ids: [Int]) -> Matrix { table.gathering(rows: ids) }

    /// One row per bag: the mean of the bag's rows (zero for an empty bag).
    func meanPool(_ bags: [[Int]]) -> Matrix {
        var result = Matrix(rows: bags.count, columns: table.columns)
        let width = table.columns
        for (row, bag) in bags.enumerated() where !bag.isEmpty {
            let scale = 1 / Float(bag.count)
            for id in bag {
                for column in 0..<width { result.values[row * width + column] += scale * table.values[id * width + column] }
            }
        }
        return result
    }

    /// Adds ∂L/∂table for a lookup of `ids` into `gradient`; returns the rows touched.
    static func backwardLookup(ids: [Int], outputGradient: Matrix, into gradient: inout Embedding) -> [Int] {
        gradient.table.scatterAdd(outputGradient, at: ids)
        return ids
    }

    /// Adds ∂L/∂table for a mean pool of `bags` into `gradient`; returns the rows touched.
    static func backwardMeanPool(bags: [[Int]], outputGradient: Matrix, into gradient: inout Embedding) -> [Int] {
        let width = outputGradient.columns
        var touched: [Int] = []
        for (row, bag) in bags.enumerated() where !bag.isEmpty {
            let scale = 1 / Float(bag.count)
            for id in bag {
                for column in 0..<width {
                    gradient.table.values[id * width + column] += scale * outputGradient.values[row * width + column]
                }
            }
            touched.append(contentsOf: bag)
        }
        return touched
    }
}
