import Foundation
import Testing

/// /metrics has a request-duration histogram per route pattern and status, with cumulative
/// buckets that end in +Inf at the count.
@Suite("Request-duration histograms")
struct RequestDurationTests {
    @Test("two decisions and a malformed one are counted under their route and status, buckets cumulative")
    func histogramsByRouteAndStatus() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let metrics = try await fixture.test { client in
                _ = try await client.post("/v1/decisions", #"{"experiment":"server-test","unit_id":"u1"}"#)
                _ = try await client.post("/v1/decisions", #"{"experiment":"server-test","unit_id":"u2"}"#)
                _ = try await client.post("/v1/decisions", #"{"experiment":"server-test","unit_id":"u3","k":0}"#)
                return try await client.getText("/metrics").text
            }
            let lines = metrics.split(separator: "\n").map(String.init)
            func value(_ prefix: String) -> Int? {
                lines.first { $0.hasPrefix(prefix + " ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
            }
            let ok = #"method="POST",route="/v1/decisions",status="200""#
            let bad = #"method="POST",route="/v1/decisions",status="400""#
            #expect(lines.contains("# TYPE abctl_http_request_duration_seconds histogram"))
            #expect(value("abctl_http_request_duration_seconds_count{\(ok)}") == 2)
            #expect(value("abctl_http_request_duration_seconds_count{\(bad)}") == 1)
            #expect(value("abctl_http_request_duration_seconds_bucket{\(ok),le=\"+Inf\"}") == 2)
            // Cumulative: each bucket holds at least the one before it.
            let buckets = lines.filter { $0.hasPrefix("abctl_http_request_duration_seconds_bucket{\(ok),") }
                .compactMap { Int($0.split(separator: " ").last ?? "") }
            #expect(buckets.count == 13)
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0 <= $1 })
        }
    }
}
