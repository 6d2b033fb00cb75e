import CLibPQ

/// The rows a statement returned. Owns libpq's result and frees it when the last row
/// referring to it goes away.
public final class PostgresRows: RandomAccessCollection {
    private let result: OpaquePointer
    /// Column names, in order.
    public let columns: [String]
    let columnTypes: [PostgresDataType]
    /// The type OID of each column, in order, as PostgreSQL described the result.
    public var columnTypeOIDs: [UInt32] { columnTypes.map(\.oid) }
    private lazy var columnIndex: [String: Int] = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })

    init(result: OpaquePointer) {
        self.result = result
        let count = Int(PQnfields(result))
        columns = (0..<count).map { String(cString: PQfname(result, Int32($0))) }
        columnTypes = (0..<count).map { PostgresDataType(oid: UInt32(PQftype(result, Int32($0)))) }
    }

    deinit {
        PQclear(result)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(result)) }
    public subscript(position: Int) -> PostgresRow { PostgresRow(rows: self, index: position) }

    /// Rows inserted, updated or deleted by the statement (PQcmdTuples), 0 when not reported.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    func index(ofColumn name: String) -> Int? { columnIndex[name] }

    func isNull(row: Int, column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    func text(row: Int, column: Int) -> String {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let pointer = PQgetvalue(result, Int32(row), Int32(column)) else { return "" }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}

/// One row of a result; read columns by position or name into Swift types.
public struct PostgresRow {
    let rows: PostgresRows
    let index: Int

    /// The value of the column at `column` (0-based) as `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at column: Int) throws -> T {
        guard index >= 0 && index < rows.count else {
            throw PostgresError(kind: .decoding, message: "The result has \(rows.count) rows, so it has no row \(index)")
        }
        guard column >= 0 && column < rows.columns.count else {
            throw PostgresError(kind: .decoding, message: "The result has no column \(column); it has \(rows.columns.count)")
        }
        let name = rows.columns[column]
        if rows.isNull(row: index, column: column) {
            guard let null = T.nullValue else {
                throw PostgresError(
                    kind: .decoding,
                    message: "Column \"\(name)\" is NULL but was read as non-optional \(T.swiftTypeName)",
                    advice: "Read it as \(T.swiftTypeName)? or add COALESCE in the query"
                )
            }
            return null
        }
        let columnType = rows.columnTypes[column]
        guard let value = T.decode(text: rows.text(row: index, column: column), type: columnType) else {
            throw PostgresError(
                kind: .decoding,
                message: "Column \"\(name)\" of type \(columnType) cannot be read as \(T.swiftTypeName)"
            )
        }
        return value
    }

    /// The value of the column called `name` as `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column name: String) throws -> T {
        guard let column = rows.index(ofColumn: name) else {
            throw PostgresError(
                kind: .decoding,
                message: "The result has no column \"\(name)\"; it has \(rows.columns.map { "\"\($0)\"" }.joined(separator: ", "))"
            )
        }
        return try decode(type, at: column)
    }

    /// The first columns, in order, as a tuple: `let (id, name) = try row.decode((Int64, String).self)`.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var column = 0
        func next<U: PostgresDecodable>(_ type: U.Type) throws -> U {
            defer { column += 1 }
            return try decode(type, at: column)
        }
        return (repeat try next((each T).self))
    }
}
