import Foundation
import Testing

@testable import PostgresClient

/// Connection strings and connection errors never show a password, however it is written:
/// in a URL's user info or query, in key=value settings, quoted, with spaces, or broken so
/// that libpq quotes it back in its error message.
@Suite struct RedactionTests {
    @Test(arguments: [
        ("postgresql://abctl:s3cret@127.0.0.1:5432/abctl", "postgresql://abctl:***@127.0.0.1:5432/abctl"),
        ("postgres://abctl:s3cret@h/d", "postgres://abctl:***@h/d"),
        ("postgresql://abctl@h/d", "postgresql://abctl@h/d"),
        ("postgresql://h:5432/d?sslmode=off", "postgresql://h:5432/d?sslmode=off"),
        ("postgresql://h/d?password=s3cret&sslmode=off", "postgresql://h/d?password=***&sslmode=off"),
        ("postgresql://h/d?sslpassword=s3cret", "postgresql://h/d?sslpassword=***"),
        // An '@' or '/' the user did not percent-encode stays hidden with the rest of the password.
        ("postgresql://u:pa@ss@h/d", "postgresql://u:***@h/d"),
        ("postgresql://u:pa/ss@h/d", "postgresql://u:***@h/d"),
        ("postgresql://u:s%zzret@h/d", "postgresql://u:***@h/d"),
        ("host=h password=s3cret dbname=d", "host=h password=*** dbname=d"),
        ("host=h password = s3cret dbname=d", "host=h password = *** dbname=d"),
        ("host=h password='s3 cret' dbname=d", "host=h password=*** dbname=d"),
        (#"host=h password='it\'s a secret' dbname=d"#, "host=h password=*** dbname=d"),
        ("host=h sslpassword=s3cret", "host=h sslpassword=***"),
        // Past a point where the string stops making sense, everything is hidden.
        ("host=h password=two words", "host=h password=*** ***"),
        ("host=h password='unterminated", "host=h password=***"),
        ("", ""),
    ])
    func redactsPasswords(conninfo: String, shown: String) {
        #expect(ConnectionSettings.redacted(conninfo) == shown)
    }

    /// A password with every printable ASCII character followed by every punctuation mark
    /// (and a letter), written as libpq reads it (quoted key=value, percent-encoded URL):
    /// libpq reads back the password, and the redacted string holds neither its text nor its
    /// encoding.
    @Test func everyPrintableCharacterStaysHidden() throws {
        let printable = (32...126).map { Character(Unicode.Scalar(UInt8($0))) }
        for first in printable {
            for second in printable where !second.isLetter && !second.isNumber || second == "a" {
                let password = "pw\(first)or\(second)d"
                let quoted = "'" + password.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
                let encoded = try #require(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                for conninfo in [
                    "host=h password=\(quoted) dbname=d", "password=\(quoted)", "postgresql://user:\(encoded)@h:5432/d",
                    "postgresql://h/d?password=\(encoded)&sslmode=off",
                ] {
                    #expect(ConnectionSettings.parse(conninfo)?["password"] == password, "\(conninfo)")
                    let shown = ConnectionSettings.redacted(conninfo)
                    #expect(!shown.contains(password) && !shown.contains(encoded) && !shown.contains(quoted), "\(conninfo) → \(shown)")
                }
            }
        }
    }

    /// libpq quotes what it cannot parse; none of it may reach the error.
    @Test(arguments: [
        ("postgresql://u:sec%zzret@127.0.0.1:1/db", "sec"),
        ("postgresql://u:sec%00ret@127.0.0.1:1/db", "sec"),
        ("postgresql://u:secret@[::1/db", "secret"),
        ("host=127.0.0.1 port=1 password=two secretwords", "secretwords"),
    ])
    func connectionErrorsHideWhatLibpqQuotes(conninfo: String, secret: String) {
        let error = #expect(throws: PostgresError.self) { try PostgresConnection(conninfo: conninfo) }
        let text = error?.description ?? ""
        #expect(!text.contains(secret), "\(text)")
        #expect(text.contains("could not be parsed"), "\(text)")
    }

    @Test func anAtSignInThePasswordIsNamedNotShown() {
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection(conninfo: "postgresql://u:pa@sswordpart@127.0.0.1:1/db?connect_timeout=2")
        }
        let text = error?.description ?? ""
        #expect(!text.contains("sswordpart"), "\(text)")
        #expect(text.contains("%40"), "\(text)")
    }
}
