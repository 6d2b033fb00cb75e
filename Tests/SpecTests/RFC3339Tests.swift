import Foundation
import Testing

@testable import Spec

/// Timestamps clients send are read strictly: a date or time that does not exist is refused
/// instead of rolled over into another one, and nothing may follow the zone.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-03-09T12:00:00Z", 1_773_057_600.0),
        ("2026-03-09t12:00:00z", 1_773_057_600.0),
        ("2026-03-09 12:00:00Z", 1_773_057_600.0),
        ("2026-03-09T12:00:00+05:30", 1_773_037_800.0),
        ("2026-03-09T12:00:00+0530", 1_773_037_800.0),  // as Foundation's ISO8601FormatStyle writes it
        ("2026-03-09T12:00:00-00:00", 1_773_057_600.0),
        ("2026-03-09T12:00:00.1Z", 1_773_057_600.1),
        ("2026-03-09T12:00:00.123456Z", 1_773_057_600.123456),
        // Past the microsecond, PostgreSQL's precision, a fraction is rounded.
        ("2026-03-09T12:00:00.1234565Z", 1_773_057_600.123457),
        ("2026-03-09T12:00:00.99999999999999999999Z", 1_773_057_601.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("2016-12-31T23:59:60Z", 1_483_228_800.0),  // a leap second runs into the next minute
        ("1969-12-31T23:59:59.5Z", -0.5),
    ])
    func reads(text: String, seconds: Double) throws {
        let date = try RFC3339.parse(text).get()
        #expect(abs(date.timeIntervalSince1970 - seconds) < 5e-7, "\(text): \(date.timeIntervalSince1970)")
    }

    @Test(arguments: [
        ("2026-02-30T00:00:00Z", "February 2026 has no day 30"),
        ("2026-02-29T00:00:00Z", "February 2026 has no day 29"),
        ("2026-04-31T00:00:00Z", "April 2026 has no day 31"),
        ("2026-13-09T12:00:00Z", "month 13 does not exist"),
        ("2026-03-09T24:00:00Z", "the time 24:00:00 is out of range (hours 00–23, minutes and seconds 00–59)"),
        ("2026-03-09T12:60:00Z", "the time 12:60:00 is out of range (hours 00–23, minutes and seconds 00–59)"),
        ("2026-03-09T12:00:00", "no time zone: end with Z or an offset such as +01:00"),
        ("2026-03-09T12:00:00Zjunk", "nothing may follow the time zone"),
        ("2026-03-09T12:00:00+05", "expected an offset such as +01:00"),
        ("2026-03-09T12:00:00+24:00", "the offset 24:00 is out of range"),
        ("2026-3-9T12:00:00Z", "expected a two-digit month"),
        ("2026-03-09T12:00Z", "expected ':' after the minutes (seconds are required)"),
        ("2026-03-09T12:00:00.Z", "a '.' must be followed by the fraction's digits"),
        ("2026-03-09", "no time: add one such as T12:00:00Z"),
        (" 2026-03-09T12:00:00Z", "expected a four-digit year"),
        ("", "expected a four-digit year"),
    ])
    func refuses(text: String, problem: String) {
        #expect(RFC3339.parse(text) == .failure(RFC3339.Problem(description: problem)), "\(text)")
    }

    /// Seeded random texts near the grammar (valid ones, then each with one character
    /// replaced, inserted or deleted) against an independent reading: a regular expression
    /// for the grammar and Foundation's Gregorian calendar for the fields. Both must accept
    /// the same texts and find the same instants.
    @Test func agreesWithAnIndependentReading() throws {
        var generator = SpecMutationTests.Generator(state: 3339)
        var accepted = 0
        for round in 0..<6000 {
            var text = Self.randomTimestamp(&generator)
            if round % 2 == 1 { Self.mutate(&text, &generator) }
            // Foundation's Gregorian calendar turns Julian before October 1582; RFC 3339's is proleptic.
            if let year = Int(text.prefix(4)), year < 1600 { continue }
            let expected = try Self.reference(text)
            let actual = RFC3339.date(from: text)
            #expect((actual == nil) == (expected == nil), "\(text): \(String(describing: actual)) vs \(String(describing: expected))")
            if let actual, let expected {
                accepted += 1
                // Within a microsecond (the reference's fractions are binary, so it may round a half
                // the other way), or a few units in the last place of a far-off Date's seconds.
                let tolerance = max(1.5e-6, 4 * expected.timeIntervalSinceReferenceDate.magnitude.ulp)
                #expect(abs(actual.timeIntervalSince(expected)) < tolerance, "\(text)")
            }
        }
        #expect(accepted > 1000, "enough texts are valid to compare instants: \(accepted)")
    }

    static func randomTimestamp(_ generator: inout SpecMutationTests.Generator) -> String {
        func two(_ range: ClosedRange<Int>) -> String { String(format: "%02d", Int.random(in: range, using: &generator)) }
        // Ranges a little past the valid ones, so that impossible dates and times come up.
        var text = String(Int.random(in: 1600...9999, using: &generator)) + "-" + two(0...13) + "-" + two(0...32)
        text += ["T", "t", " "].randomElement(using: &generator)! + two(0...24) + ":" + two(0...60) + ":" + two(0...61)
        let digits = Int.random(in: 0...10, using: &generator)
        if digits > 0 { text += "." + (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined() }
        switch Int.random(in: 0...3, using: &generator) {
        case 0: text += "Z"
        case 1: text += "z"
        default: text += ["+", "-"].randomElement(using: &generator)! + two(0...24) + ":" + two(0...60)
        }
        return text
    }

    static func mutate(_ text: inout String, _ generator: inout SpecMutationTests.Generator) {
        var characters = Array(text)
        let alphabet = Array("0123456789-:.+TZtz Ä\u{0}")
        let index = Int.random(in: 0..<characters.count, using: &generator)
        switch Int.random(in: 0...2, using: &generator) {
        case 0: characters[index] = alphabet.randomElement(using: &generator)!
        case 1: characters.insert(alphabet.randomElement(using: &generator)!, at: index)
        default: characters.remove(at: index)
        }
        text = String(characters)
    }

    /// The instant of `text` by a regular expression and Foundation's calendar, or nil.
    static func reference(_ text: String) throws -> Date? {
        let pattern = try Regex(#"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$"#)
            .asciiOnlyDigits()
        guard let match = try pattern.wholeMatch(in: text) else { return nil }
        func number(_ index: Int) -> Int { Int(match.output[index].substring!)! }
        let (year, month, day, hour, minute, second) = (number(1), number(2), number(3), number(4), number(5), number(6))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), hour <= 23, minute <= 59, second <= 60, let midnight = calendar.date(from: components) else {
            return nil
        }
        var offset = 0
        if match.output[8].substring == nil {
            let (hours, minutes) = (number(10), number(11))
            guard hours <= 23, minutes <= 59 else { return nil }
            offset = (match.output[9].substring == "+" ? 1 : -1) * (hours * 3600 + minutes * 60)
        }
        let fraction = match.output[7].substring.map { Double("0" + $0)! } ?? 0
        let micros = (fraction * 1_000_000).rounded()
        return midnight.addingTimeInterval(Double(hour * 3600 + minute * 60 + second - offset) + micros / 1_000_000)
    }
}
