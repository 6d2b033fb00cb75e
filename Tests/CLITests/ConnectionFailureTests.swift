import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// A wrong password, a server that is down and a missing database each end the command
/// with one sentence saying what happened and what to do, and a non-zero exit.
@Suite struct ConnectionFailureTests {
    /// The test server's settings, to build broken variants of its URL.
    func settings() throws -> [String: String] {
        try #require(ConnectionSettings.parse(try TestDatabase.serverURL()))
    }

    func expectOneSentenceFailure(_ output: ProcessRunner.Output, containing phrase: String) {
        #expect(output.status == 1)
        #expect(output.standardError.contains(phrase), "\(output.standardError)")
        #expect(output.standardError.split(separator: "\n").count == 1, "\(output.standardError)")
        #expect(!output.standardError.contains("Fatal error") && !output.standardError.contains("Stack"))
        #expect(output.standardOutput.isEmpty)
    }

    @Test func aWrongPasswordSaysSo() throws {
        let server = try settings()
        let url = "postgresql://\(server["user"] ?? "abctl"):not-the-password@\(server["host"] ?? "127.0.0.1"):\(server["port"] ?? "5432")/postgres"
        let output = try AbctlBinary.run(["migrate", "--status", "--database-url", url])
        expectOneSentenceFailure(output, containing: "rejected the password for user")
        #expect(!output.standardError.contains("not-the-password"))
    }

    @Test func aServerThatIsDownSaysSo() throws {
        let port = try freePort()
        let output = try AbctlBinary.run(["migrate", "--status", "--database-url", "postgresql://abctl@127.0.0.1:\(port)/abctl"])
        expectOneSentenceFailure(output, containing: "No PostgreSQL server is accepting connections at 127.0.0.1:\(port)")
        #expect(output.standardError.contains("abctl db start"))
    }

    @Test func aMissingDatabaseSaysSo() throws {
        let server = try TestDatabase.serverURL()
        let url = try #require(ConnectionSettings.replacingDatabase(in: server, with: "no_such_database_here"))
        let output = try AbctlBinary.run(["migrate", "--status", "--database-url", url])
        expectOneSentenceFailure(output, containing: "The database \"no_such_database_here\" does not exist")
        #expect(output.standardError.contains("createdb no_such_database_here"))
    }

    /// A loopback port with nothing listening: bind to port 0, read the port, close.
    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
