import Foundation

/// Allocation-free encoders for the values the event log copies most: UUIDs, timestamps
/// and arrays of text and numbers are written straight into the byte buffer, already
/// escaped for both the array literal and the COPY text format.
extension CopyWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A uuid field, lowercase with dashes.
    public mutating func append(_ value: UUID) {
        separate()
        let bytes = value.uuid
        withUnsafeBytes(of: bytes) { raw in
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { buffer.append(45) }
                buffer.append(Self.hexDigits[Int(raw[index] >> 4)])
                buffer.append(Self.hexDigits[Int(raw[index] & 0x0F)])
            }
        }
    }

    /// A timestamptz field in UTC, to the microsecond.
    public mutating func append(_ value: Date) {
        separate()
        if value <= .distantPast || value >= .distantFuture {
            buffer.append(contentsOf: Array((value <= .distantPast ? "-infinity" : "infinity").utf8))
            return
        }
        let totalMicros = Int64((value.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = PostgresTimestamp.civilDate(fromDays: days)
        appendPadded(year, width: 4)
        buffer.append(45)
        appendPadded(month, width: 2)
        buffer.append(45)
        appendPadded(day, width: 2)
        buffer.append(32)
        appendPadded(secondOfDay / 3600, width: 2)
        buffer.append(58)
        appendPadded(secondOfDay % 3600 / 60, width: 2)
        buffer.append(58)
        appendPadded(secondOfDay % 60, width: 2)
        if micros != 0 {
            buffer.append(46)
            appendPadded(micros, width: 6)
        }
        buffer.append(43)
        buffer.append(48)
        buffer.append(48)
    }

    /// A text[] field: each element quoted, escaped for the array literal and for COPY.
    public mutating func append(_ values: [String]) throws {
        separate()
        buffer.append(123)
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(44) }
            buffer.append(34)
            for byte in value.utf8 {
                switch byte {
                case 0:
                    throw PostgresError(kind: .encoding, message: "A COPY array element contains a NUL byte, which PostgreSQL text cannot store")
                case 34: buffer.append(contentsOf: [92, 92, 34])  // " → \" in the array → \\" in COPY
                case 92: buffer.append(contentsOf: [92, 92, 92, 92])  // \ → \\ → \\\\
                case 9: buffer.append(contentsOf: [92, 116])
                case 10: buffer.append(contentsOf: [92, 110])
                case 13: buffer.append(contentsOf: [92, 114])
                default: buffer.append(byte)
                }
            }
            buffer.append(34)
        }
        buffer.append(125)
    }

    /// A double precision[] field.
    public mutating func append(_ values: [Double]) {
        separate()
        buffer.append(123)
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(44) }
            appendNumber(value)
        }
        buffer.append(125)
    }

    /// A bigint[] field.
    public mutating func append(_ values: [Int64]) {
        separate()
        buffer.append(123)
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(44) }
            appendDigits(value)
        }
        buffer.append(125)
    }

    mutating func appendNumber(_ value: Double) {
        if value.isNaN {
            buffer.append(contentsOf: Array("NaN".utf8))
        } else if value.isInfinite {
            buffer.append(contentsOf: Array((value < 0 ? "-Infinity" : "Infinity").utf8))
        } else {
            // Swift's shortest round-tripping form; PostgreSQL reads it back exactly.
            buffer.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func appendPadded(_ value: Int64, width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var remaining = value
        if remaining >= divisor * 10 {  // wider than the width: write it all
            appendDigits(value)
            return
        }
        while divisor > 0 {
            buffer.append(UInt8(remaining / divisor) + 48)
            remaining %= divisor
            divisor /= 10
        }
    }
}
