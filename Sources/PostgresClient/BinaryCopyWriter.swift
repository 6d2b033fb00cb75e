import Foundation

/// Builds rows in PostgreSQL's binary COPY format, which `PostgresConnection.copyInBinary`
/// streams. The server stores binary fields without parsing text: for the event log's rows
/// (uuids, timestamps, arrays of numbers) that halves its CPU per row. The price is that each
/// field must be written as the column's exact type, so every method names the type it writes;
/// a mismatch makes the server refuse the COPY ("incorrect binary data format", SQLSTATE 22P03).
public struct BinaryCopyWriter {
    var buffer: [UInt8] = []
    /// Whether a row is being written, and its fields so far.
    private var inRow = false
    private var fieldsInRow: Int16 = 0
    /// Rows completed so far.
    public private(set) var rowCount = 0

    /// The file header: signature, flags (no OIDs), header-extension length.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The file trailer: a field count of -1.
    static let trailer: [UInt8] = [0xFF, 0xFF]

    init(capacity: Int) {
        buffer.reserveCapacity(capacity)
    }

    /// Appends one row built by `build`; if `build` throws, whatever it wrote is removed,
    /// so a bad row never leaves half a row in the stream.
    public mutating func appendRow(_ build: (inout BinaryCopyWriter) throws -> Void) rethrows {
        let mark = buffer.count
        inRow = true
        fieldsInRow = 0
        append(bigEndian: Int16(0))  // the field count, set below
        do {
            try build(&self)
        } catch {
            buffer.removeSubrange(mark...)
            inRow = false
            throw error
        }
        let count = UInt16(bitPattern: fieldsInRow)
        buffer[mark] = UInt8(count >> 8)
        buffer[mark + 1] = UInt8(count & 0xFF)
        inRow = false
        rowCount += 1
    }

    /// A NULL field, of any type.
    public mutating func appendNull() {
        fieldsInRow += 1
        append(bigEndian: Int32(-1))
    }

    /// A `uuid` field.
    public mutating func append(uuid value: UUID) {
        beginField(length: 16)
        withUnsafeBytes(of: value.uuid) { buffer.append(contentsOf: $0) }
    }

    /// A `text` field. NUL bytes cannot be stored in text and are refused.
    public mutating func append(text value: String) throws {
        let utf8 = value.utf8
        guard !utf8.contains(0) else {
            throw PostgresError(kind: .encoding, message: "A COPY field contains a NUL byte, which PostgreSQL text cannot store")
        }
        beginField(length: utf8.count)
        buffer.append(contentsOf: utf8)
    }

    /// A `jsonb` field from its JSON text (format version 1: the text after a version byte).
    public mutating func append(jsonb value: String) throws {
        let utf8 = value.utf8
        guard !utf8.contains(0) else {
            throw PostgresError(kind: .encoding, message: "A COPY jsonb field contains a NUL byte, which PostgreSQL cannot store")
        }
        beginField(length: 1 + utf8.count)
        buffer.append(1)
        buffer.append(contentsOf: utf8)
    }

    /// An `integer` (int4) field.
    public mutating func append(int4 value: Int32) {
        beginField(length: 4)
        append(bigEndian: value)
    }

    /// An `integer` (int4) field from an Int; one that does not fit is refused.
    public mutating func append(int4 value: Int) throws {
        guard let narrow = Int32(exactly: value) else {
            throw PostgresError(kind: .encoding, message: "\(value) does not fit a PostgreSQL integer column")
        }
        append(int4: narrow)
    }

    /// A `bigint` (int8) field.
    public mutating func append(int8 value: Int64) {
        beginField(length: 8)
        append(bigEndian: value)
    }

    /// A `double precision` (float8) field, NaN and ±Infinity included.
    public mutating func append(float8 value: Double) {
        beginField(length: 8)
        append(bigEndian: value.bitPattern)
    }

    /// A `timestamptz` field: microseconds since 2000-01-01 UTC, rounded as the text writer
    /// rounds, so a row written either way has the same key; the distant past and future
    /// are -infinity and infinity.
    public mutating func append(timestamptz value: Date) {
        beginField(length: 8)
        append(bigEndian: Self.postgresMicroseconds(value))
    }

    /// A `text[]` field (one dimension, no NULL elements). NUL bytes are refused.
    public mutating func append(textArray values: [String]) throws {
        var length = 20 + 4 * values.count
        for value in values {
            guard !value.utf8.contains(0) else {
                throw PostgresError(kind: .encoding, message: "A COPY array element contains a NUL byte, which PostgreSQL text cannot store")
            }
            length += value.utf8.count
        }
        beginField(length: values.isEmpty ? 12 : length)
        appendArrayHeader(elementType: PostgresDataType.text.oid, count: values.count)
        for value in values {
            append(bigEndian: Int32(value.utf8.count))
            buffer.append(contentsOf: value.utf8)
        }
    }

    /// A `double precision[]` field (one dimension, no NULL elements).
    public mutating func append(float8Array values: [Double]) {
        beginField(length: values.isEmpty ? 12 : 20 + 12 * values.count)
        appendArrayHeader(elementType: PostgresDataType.float8.oid, count: values.count)
        for value in values {
            append(bigEndian: Int32(8))
            append(bigEndian: value.bitPattern)
        }
    }

    /// Microseconds since PostgreSQL's epoch, 2000-01-01 00:00:00 UTC.
    static func postgresMicroseconds(_ value: Date) -> Int64 {
        if value <= .distantPast { return .min }
        if value >= .distantFuture { return .max }
        let unixMicros = Int64((value.timeIntervalSince1970 * 1_000_000).rounded())
        return unixMicros - 946_684_800 * 1_000_000
    }

    /// The array header: dimensions (0 for an empty array), has-NULLs flag, element type,
    /// then the one dimension's length and lower bound.
    private mutating func appendArrayHeader(elementType: UInt32, count: Int) {
        append(bigEndian: Int32(count == 0 ? 0 : 1))
        append(bigEndian: Int32(0))
        append(bigEndian: elementType)
        guard count > 0 else { return }
        append(bigEndian: Int32(count))
        append(bigEndian: Int32(1))
    }

    private mutating func beginField(length: Int) {
        precondition(inRow, "BinaryCopyWriter fields are written inside appendRow")
        fieldsInRow += 1
        append(bigEndian: Int32(length))
    }

    private mutating func append<T: FixedWidthInteger>(bigEndian value: T) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}
