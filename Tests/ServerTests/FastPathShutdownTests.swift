import Foundation
import Testing

/// Graceful shutdown with a decision request half read by the event loop's fast path
/// (`DecisionFastPath`): Hummingbird closes the connections it sees as idle, and a request the
/// fast path holds is not in its books, so the fast path must answer it before the
/// connection closes. Over plain sockets against the real server and PostgreSQL.
@Suite("Graceful shutdown around the decision fast path")
struct FastPathShutdownTests {
    /// What the client saw after the server began to shut down.
    struct Outcome: Sendable {
        var idleClosed: Bool
        var first: RawHTTPConnection.Response
        var held: RawHTTPConnection.Response
        var heldClosedAfterAnswer: Bool
    }

    @Test("a request whose head the fast path took is answered before the connection closes; an idle connection closes at once")
    func heldRequestIsAnsweredOnShutdown() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(DecisionFastPathTests.spec)
            let body = #"{"experiment":"fast","unit_id":"u2","context":{"country":"DE"},"k":2,"exclude":["a"]}"#
            let cut = body.index(body.startIndex, offsetBy: body.count / 2)
            let finishing = try await fixture.test { client in
                let port = try #require(client.port)
                let (idle, held, first) = try await RawHTTPSocket.onThread {
                    // A connection that answered once and then idles.
                    let idle = try RawHTTPSocket(port: port)
                    try idle.send(RawHTTPConnection.request("GET", "/healthz"))
                    _ = try idle.response()
                    // One write: a whole decision, then the head and half the body of a second.
                    // The first answer is flushed after the read that also took the second's head,
                    // so once it is here the fast path holds the second request.
                    let held = try RawHTTPSocket(port: port)
                    let head = "POST /v1/decisions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    try held.send(
                        DecisionFastPathTests.decision(unit: "u1", k: 1) + head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body[..<cut]
                    )
                    return (idle, held, try held.response())
                }
                // The test framework shuts the server down gracefully once this closure returns;
                // the thread below goes on talking to it meanwhile.
                return Task {
                    try await RawHTTPSocket.onThread {
                        // The idle connection closing says that the server is quiescing its
                        // connections; the pause lets the event reach the other connection too.
                        let idleClosed = try idle.isClosedByServer()
                        Thread.sleep(forTimeInterval: 0.3)
                        try held.send(String(body[cut...]))
                        let answer = try held.response()
                        return Outcome(idleClosed: idleClosed, first: first, held: answer, heldClosedAfterAnswer: try held.isClosedByServer())
                    }
                }
            }
            // `fixture.test` returns once the server has shut down and the writer has drained.
            let outcome = try await finishing.value
            #expect(outcome.idleClosed)
            #expect(outcome.first.status == 200)
            #expect(outcome.held.status == 200)
            // Popularity with a excluded: b (2 interactions), c (1).
            #expect((outcome.held.json["items"] as? [[String: Any]])?.compactMap { $0["item_id"] as? String } == ["b", "c"])
            #expect(outcome.heldClosedAfterAnswer)
            // Both answered decisions were logged before the process would have exited.
            let ids = [outcome.first.json["request_id"] as? String, outcome.held.json["request_id"] as? String].compactMap { $0 }
            #expect(ids.count == 2)
            #expect(try ServerFixture.impressionCounts(on: fixture.connection()) == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))
        }
    }
}
