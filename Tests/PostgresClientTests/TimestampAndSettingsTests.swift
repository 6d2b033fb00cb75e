import Foundation
import Testing

@testable import PostgresClient

/// Pure conversions, checked against dates computed independently (Python's datetime).
@Suite struct TimestampAndSettingsTests {
    @Test(arguments: [
        ("1970-01-01 00:00:00+00", 0.0),
        ("2000-02-29 12:00:00+00", 951_825_600.0),  // leap day
        ("1969-12-31 23:59:59.5+00", -0.5),
        ("2026-11-29T05:50:32.000001-01:30", 1_795_936_832.000001),
        ("2100-03-01 00:00:00+00", 4_107_542_400.0),
    ])
    func parsesTimestamps(text: String, seconds: Double) throws {
        let date = try #require(PostgresTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test func aLeapSecondRunsIntoTheNextMinuteAsInPostgreSQL() throws {
        #expect(try #require(PostgresTimestamp.parse("2016-12-31 23:59:60+00")) == Date(timeIntervalSince1970: 1_483_228_800))
        #expect(PostgresTimestamp.parse("2024-02-29 00:00:00+00") != nil)
    }

    @Test func formatsInUTCToTheMicrosecond() {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 951_825_600)) == "2000-02-29 12:00:00+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31 23:59:59.500000+00")
    }

    @Test func rejectsMalformedTimestamps() {
        for text in ["2026-13", "yesterday", "2026-11-29 05:50", "2026-11-29 05:50:32+zz"]
            // Dates and times that do not exist, which calendar arithmetic would roll over.
            + ["2026-02-29 00:00:00+00", "2026-04-31", "2026-13-01", "2026-00-10", "2026-03-00", "2026-03-09 24:00:00+00"]
            + ["2026-03-09 12:60:00+00", "2026-03-09 12:00:61+00", "2026-03-09 12:00:00+24", "2026-03-09 12:00:00+05:60"]
        {
            #expect(PostgresTimestamp.parse(text) == nil, "\(text)")
        }
    }

    @Test func replacesTheDatabaseInURLsAndConninfo() throws {
        let fromURL = try #require(ConnectionSettings.replacingDatabase(in: "postgresql://u:p%40ss@127.0.0.1:5433/app", with: "other"))
        let settings = try #require(ConnectionSettings.parse(fromURL))
        #expect(settings["dbname"] == "other")
        #expect(settings["password"] == "p@ss")
        #expect(settings["port"] == "5433")
        let quoted = try #require(ConnectionSettings.replacingDatabase(in: "host=/tmp password='a b\\'c'", with: "x"))
        #expect(ConnectionSettings.parse(quoted)?["password"] == "a b'c")
    }
}
