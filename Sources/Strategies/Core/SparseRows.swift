/// A compressed sparse row matrix of Float values (CSR), columns sorted within each row.
struct SparseRows: Sendable, Codable {
    var rowStarts: [Int]
    var columns: [Int32]
    var values: [Float]
    var columnCount: Int

    init(rows: [[Int32: Float]], columnCount: Int) {
        rowStarts = [0]
        columns = []
        values = []
        self.columnCount = columnCount
        for row in rows {
            for (column, value) in row.sorted(by: { $0.key < $1.key }) {
                columns.append(column)
                values.append(value)
            }
            rowStarts.append(columns.count)
        }
    }

    var rowCount: Int { rowStarts.count - 1 }

    func range(ofRow row: Int) -> Range<Int> { rowStarts[row]..<rowStarts[row + 1] }

    /// The same matrix with rows and columns swapped.
    func transposed() -> SparseRows {
        var rows: [[Int32: Float]] = Array(repeating: [:], count: columnCount)
        for row in 0..<rowCount {
            for position in range(ofRow: row) { rows[Int(columns[position])][Int32(row)] = values[position] }
        }
        return SparseRows(rows: rows, columnCount: rowCount)
    }
}
