import Foundation

/// Strict RFC 3339 date-times, for timestamps clients send (event times, spec schedules):
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. Unlike Foundation's ISO 8601 parser, which
/// reads `2026-02-30` as March 2, `12:60` as 13:00 and ignores text after the zone, every
/// field is range-checked and nothing may follow. `T` and `Z` may be lower case, and a space
/// may stand for `T` (RFC 3339 §5.6), an offset may omit its colon (`+0100`, as Foundation's
/// `ISO8601FormatStyle` writes it); a second of 60 (a leap second) runs into the next
/// minute, as in PostgreSQL. Fractions of any length are rounded to the microsecond,
/// PostgreSQL's precision.
public enum RFC3339 {
    /// Why a text is not an RFC 3339 date-time, as a phrase for an error message.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The instant `text` names, or nil when it is not an RFC 3339 date-time.
    public static func date(from text: String) -> Date? {
        try? parse(text).get()
    }

    /// The instant `text` names, or what is wrong with it.
    public static func parse(_ text: String) -> Result<Date, Problem> {
        var reader = Reader(bytes: Array(text.utf8))
        do {
            return .success(try reader.dateTime())
        } catch {
            return .failure(error)
        }
    }

    /// Days in `month` (1–12) of the proleptic Gregorian `year`.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        return era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ]

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func dateTime() throws(Problem) -> Date {
            let year = try number(4, "a four-digit year")
            try expect("-", after: "the year")
            let month = try number(2, "a two-digit month")
            guard (1...12).contains(month) else { throw Problem(description: "month \(month) does not exist") }
            try expect("-", after: "the month")
            let day = try number(2, "a two-digit day")
            let length = RFC3339.daysIn(month: month, year: year)
            guard (1...length).contains(day) else {
                throw Problem(description: "\(RFC3339.monthNames[month - 1]) \(year) has no day \(day)")
            }
            guard index < bytes.count else { throw Problem(description: "no time: add one such as T12:00:00Z") }
            guard [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[index]) else {
                throw Problem(description: "the date must be followed by T and the time")
            }
            index += 1
            let hour = try number(2, "a two-digit hour")
            try expect(":", after: "the hour")
            let minute = try number(2, "two-digit minutes")
            try expect(":", after: "the minutes (seconds are required)")
            let second = try number(2, "two-digit seconds")
            guard hour <= 23, minute <= 59, second <= 60 else {
                throw Problem(
                    description: "the time \(pad(hour)):\(pad(minute)):\(pad(second)) is out of range (hours 00–23, minutes and seconds 00–59)"
                )
            }
            let micros = try fraction()
            let offset = try zone()
            guard index == bytes.count else { throw Problem(description: "nothing may follow the time zone") }
            let seconds = RFC3339.days(fromYear: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
            return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
        }

        /// The fraction of a second after a `.`, rounded to microseconds (0 when there is none).
        mutating func fraction() throws(Problem) -> Int {
            guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return 0 }
            index += 1
            var micros = 0
            var digits = 0
            var roundsUp = false
            while index < bytes.count, let digit = digit(bytes[index]) {
                if digits < 6 {
                    micros = micros * 10 + digit
                } else if digits == 6 {
                    roundsUp = digit >= 5
                }
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw Problem(description: "a '.' must be followed by the fraction's digits") }
            for _ in digits..<max(digits, 6) { micros *= 10 }
            return micros + (roundsUp ? 1 : 0)
        }

        /// The zone's offset east of UTC in seconds.
        mutating func zone() throws(Problem) -> Int {
            guard index < bytes.count else { throw Problem(description: "no time zone: end with Z or an offset such as +01:00") }
            let sign = bytes[index]
            index += 1
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") { return 0 }
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
                throw Problem(description: "the time zone must be Z or an offset such as +01:00")
            }
            let hours = try number(2, "an offset such as +01:00")
            // Foundation's ISO8601FormatStyle writes +0100 by default: read it too.
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
            let minutes = try number(2, "an offset such as +01:00")
            guard hours <= 23, minutes <= 59 else { throw Problem(description: "the offset \(pad(hours)):\(pad(minutes)) is out of range") }
            return (sign == UInt8(ascii: "+") ? 1 : -1) * (hours * 3600 + minutes * 60)
        }

        mutating func number(_ width: Int, _ what: String) throws(Problem) -> Int {
            var value = 0
            for offset in 0..<width {
                guard index + offset < bytes.count, let digit = digit(bytes[index + offset]) else {
                    throw Problem(description: "expected \(what)")
                }
                value = value * 10 + digit
            }
            index += width
            return value
        }

        mutating func expect(_ character: Unicode.Scalar, after what: String) throws(Problem) {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
                throw Problem(description: "expected '\(character)' after \(what)")
            }
            index += 1
        }

        func digit(_ byte: UInt8) -> Int? {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }

        func pad(_ value: Int) -> String {
            value < 10 ? "0\(value)" : "\(value)"
        }
    }
}
