import Foundation
import Testing

/// A request whose Content-Length is past the body limit is refused with 413 as soon as its
/// head arrives. The server used to wait for the trillion bytes announced, holding the
/// connection; here the client sends only a few and waits for the answer (RawHTTPConnection
/// gives up after 20 s, so a server that waits fails the test).
@Suite("Declared body size") struct DeclaredBodySizeTests {
    @Test("Content-Length: 1000000000000 gets 413 at once on every POST route; nothing is stored", arguments: ["/v1/decisions", "/v1/events"])
    func hugeContentLength(path: String) async throws {
        try await ServerFixture.with { fixture in
            try await fixture.test { client in
                let port = try #require(client.port)
                let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{\"ev"
                let answer = try #require(try await RawHTTPConnection.exchange(port: port, [head], count: 1).first)
                #expect(answer.status == 413)
                let error = answer.json["error"] as? [String: Any]
                #expect((error?["message"] as? String)?.hasPrefix("The request body is larger than") == true)
            }
            let db = try fixture.connection()
            #expect(try db.query("SELECT (SELECT count(*) FROM impressions) + (SELECT count(*) FROM feedback)")[0].decode(Int.self, at: 0) == 0)
        }
    }
}
