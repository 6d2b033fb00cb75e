/// Builds rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, with
/// backslash escapes), into a byte buffer that `PostgresConnection.copyIn` streams.
public struct CopyWriter {
    var buffer: [UInt8] = []
    var fieldsInRow = 0
    /// Rows completed so far.
    public private(set) var rowCount = 0

    init(capacity: Int) {
        buffer.reserveCapacity(capacity)
    }

    mutating func separate() {
        if fieldsInRow > 0 { buffer.append(9) }
        fieldsInRow += 1
    }

    /// A text field, escaped. NUL bytes cannot be stored in text and are refused.
    public mutating func append(_ value: String) throws {
        separate()
        for byte in value.utf8 {
            switch byte {
            case 0:
                throw PostgresError(kind: .encoding, message: "A COPY field contains a NUL byte, which PostgreSQL text cannot store")
            case 92:
                buffer.append(92)
                buffer.append(92)  // backslash
            case 9:
                buffer.append(92)
                buffer.append(116)  // \t
            case 10:
                buffer.append(92)
                buffer.append(110)  // \n
            case 13:
                buffer.append(92)
                buffer.append(114)  // \r
            default: buffer.append(byte)
            }
        }
    }

    /// An integer field.
    public mutating func append(_ value: Int64) {
        separate()
        appendDigits(value)
    }

    /// An integer field.
    public mutating func append(_ value: Int) {
        append(Int64(value))
    }

    /// A float8 field (NaN and ±Infinity spelled as PostgreSQL does).
    public mutating func append(_ value: Double) {
        separate()
        appendNumber(value)
    }

    /// A boolean field.
    public mutating func append(_ value: Bool) {
        separate()
        buffer.append(value ? 116 : 102)
    }

    /// Any encodable value (UUID, Date, arrays, JSON) in its text form, escaped.
    public mutating func append(_ value: some PostgresEncodable) throws {
        var text = ""
        try value.encode(into: &text)
        try append(text)
    }

    /// A NULL field.
    public mutating func appendNull() {
        separate()
        buffer.append(92)
        buffer.append(78)
    }

    /// Ends the current row.
    public mutating func endRow() {
        buffer.append(10)
        fieldsInRow = 0
        rowCount += 1
    }

    mutating func appendDigits(_ value: Int64) {
        if value == 0 {
            buffer.append(48)
            return
        }
        var magnitude = value.magnitude
        if value < 0 { buffer.append(45) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while magnitude > 0 {
                raw[count] = UInt8(magnitude % 10) + 48
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }
}

extension CopyWriter {
    /// Appends one row built by `build`; if `build` throws, whatever it wrote is removed,
    /// so a bad row never leaves half a row in the stream.
    public mutating func appendRow(_ build: (inout CopyWriter) throws -> Void) rethrows {
        let mark = buffer.count
        do {
            try build(&self)
            endRow()
        } catch {
            buffer.removeSubrange(mark...)
            fieldsInRow = 0
            throw error
        }
    }
}
