/// A PostgreSQL type, by its built-in OID, as sent with parameters and read from results.
public struct PostgresDataType: Sendable, Hashable, CustomStringConvertible {
    public var oid: UInt32

    public init(oid: UInt32) {
        self.oid = oid
    }

    public static let bool = PostgresDataType(oid: 16)
    public static let bytea = PostgresDataType(oid: 17)
    public static let int8 = PostgresDataType(oid: 20)
    public static let int2 = PostgresDataType(oid: 21)
    public static let int4 = PostgresDataType(oid: 23)
    public static let text = PostgresDataType(oid: 25)
    public static let json = PostgresDataType(oid: 114)
    public static let float4 = PostgresDataType(oid: 700)
    public static let float8 = PostgresDataType(oid: 701)
    public static let unknown = PostgresDataType(oid: 705)
    public static let varchar = PostgresDataType(oid: 1043)
    public static let date = PostgresDataType(oid: 1082)
    public static let timestamp = PostgresDataType(oid: 1114)
    public static let timestamptz = PostgresDataType(oid: 1184)
    public static let numeric = PostgresDataType(oid: 1700)
    public static let uuid = PostgresDataType(oid: 2950)
    public static let jsonb = PostgresDataType(oid: 3802)
    public static let boolArray = PostgresDataType(oid: 1000)
    public static let int2Array = PostgresDataType(oid: 1005)
    public static let int4Array = PostgresDataType(oid: 1007)
    public static let textArray = PostgresDataType(oid: 1009)
    public static let int8Array = PostgresDataType(oid: 1016)
    public static let float4Array = PostgresDataType(oid: 1021)
    public static let float8Array = PostgresDataType(oid: 1022)
    public static let timestamptzArray = PostgresDataType(oid: 1185)
    public static let uuidArray = PostgresDataType(oid: 2951)
    public static let jsonbArray = PostgresDataType(oid: 3807)

    private static let names: [UInt32: String] = [
        16: "boolean", 17: "bytea", 20: "bigint", 21: "smallint", 23: "integer", 25: "text", 114: "json",
        700: "real", 701: "double precision", 705: "unknown", 1043: "varchar", 1082: "date", 1114: "timestamp",
        1184: "timestamptz", 1700: "numeric", 2950: "uuid", 3802: "jsonb", 1000: "boolean[]", 1005: "smallint[]",
        1007: "integer[]", 1009: "text[]", 1016: "bigint[]", 1021: "real[]", 1022: "double precision[]",
        1185: "timestamptz[]", 2951: "uuid[]", 3807: "jsonb[]", 19: "name", 26: "oid", 18: "char",
    ]

    /// The SQL name of the type, or its OID when it is not a built-in we know.
    public var description: String { Self.names[oid] ?? "type \(oid)" }

    /// The array type whose elements are this type, for the element types we bind.
    var arrayType: PostgresDataType {
        switch self {
        case .bool: .boolArray
        case .int2: .int2Array
        case .int4: .int4Array
        case .int8: .int8Array
        case .float4: .float4Array
        case .float8: .float8Array
        case .timestamptz: .timestamptzArray
        case .uuid: .uuidArray
        case .jsonb: .jsonbArray
        default: .textArray
        }
    }
}
