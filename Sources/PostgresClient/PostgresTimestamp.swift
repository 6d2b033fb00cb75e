import Foundation

/// Converts between `Date` and PostgreSQL's ISO timestamptz text, to the microsecond,
/// without DateFormatter (slow, and locale-dependent).
public enum PostgresTimestamp {
    /// `2026-11-29 05:50:32.123456+00`, always in UTC.
    public static func format(_ date: Date) -> String {
        // Foundation's distant dates lie outside PostgreSQL's calendar; they mean "unbounded".
        if date <= .distantPast { return "-infinity" }
        if date >= .distantFuture { return "infinity" }
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
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
        let (year, month, day) = civilDate(fromDays: days)
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        let second = secondOfDay % 60
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        if micros != 0 { text += ".\(pad(micros, 6))" }
        return text + "+00"
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][+|-HH[:MM[:SS]]]` (also with a `T`), and the
    /// words infinity / -infinity; nil for a date or time that does not exist (February 30,
    /// 12:60), which a calendar would otherwise roll over into another one.
    public static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<width {
                let digit = bytes[index]
                guard digit >= 48 && digit <= 57 else { return nil }
                value = value * 10 + Int64(digit - 48)
                index += 1
            }
            return value
        }
        func expect(_ characters: UInt8...) -> Bool {
            guard index < bytes.count, characters.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = days(fromYear: year, month: month, day: day) * 86_400
        var micros: Int64 = 0
        if index < bytes.count {
            guard expect(32, 84), let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2) else {
                return nil
            }
            // A second of 60 is a leap second (it runs into the next minute, as in PostgreSQL).
            guard hour <= 23, minute <= 59, second <= 60 else { return nil }
            seconds += hour * 3600 + minute * 60 + second
            if index < bytes.count && bytes[index] == 46 {
                index += 1
                var scale: Int64 = 100_000
                while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
                    micros += Int64(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            if index < bytes.count {
                guard bytes[index] == 43 || bytes[index] == 45 else { return nil }
                let sign: Int64 = bytes[index] == 43 ? 1 : -1
                index += 1
                guard let offsetHours = number(2), offsetHours <= 23 else { return nil }
                var offset = offsetHours * 3600
                if expect(58) {
                    guard let offsetMinutes = number(2), offsetMinutes <= 59 else { return nil }
                    offset += offsetMinutes * 60
                    if expect(58) {
                        guard let offsetSeconds = number(2), offsetSeconds <= 59 else { return nil }
                        offset += offsetSeconds
                    }
                }
                seconds -= sign * offset
            }
        }
        guard index == bytes.count else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Days in `month` (1–12) of the proleptic Gregorian `year`.
    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's civil_from_days).
    static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
