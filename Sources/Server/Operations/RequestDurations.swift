import Foundation
import Hummingbird
import Synchronization

/// Request durations by route and status as Prometheus histograms
/// (`abctl_http_request_duration_seconds`), recorded by `RequestTiming` for every request.
final class RequestDurations: Sendable {
    /// Upper bounds of the buckets, in seconds (the last bucket, +Inf, is implied).
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    struct Key: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    struct Histogram {
        /// Non-cumulative counts per bucket; the extra last one is +Inf.
        var counts = [Int](repeating: 0, count: RequestDurations.bounds.count + 1)
        var sum = 0.0
    }

    private let histograms = Mutex<[Key: Histogram]>([:])

    func record(_ key: Key, seconds: Double) {
        let bucket = Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count
        histograms.withLock { all in
            all[key, default: Histogram()].counts[bucket] += 1
            all[key, default: Histogram()].sum += seconds
        }
    }

    /// A route pattern as OpenAPI writes it: Hummingbird's `/dashboard/:name` is `/dashboard/{name}`.
    static func openAPIPath(_ route: String) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            .joined(separator: "/")
    }

    /// The histograms in the Prometheus text format (cumulative buckets, sum and count).
    func render() -> String {
        var out = "# HELP abctl_http_request_duration_seconds Time to answer a request, by route and status.\n"
        out += "# TYPE abctl_http_request_duration_seconds histogram\n"
        let all = histograms.withLock { $0 }
        for (key, histogram) in all.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            let labels = "method=\"\(key.method)\",route=\"\(Self.openAPIPath(key.route))\",status=\"\(key.status)\""
            var cumulative = 0
            for (index, count) in histogram.counts.enumerated() {
                cumulative += count
                let bound = index < Self.bounds.count ? "\(Self.bounds[index])" : "+Inf"
                out += "abctl_http_request_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "abctl_http_request_duration_seconds_sum{\(labels)} \(String(format: "%.6f", histogram.sum))\n"
            out += "abctl_http_request_duration_seconds_count{\(labels)} \(cumulative)\n"
        }
        return out
    }
}

/// Times every request and records it under its route pattern (e.g. /dashboard/{name}, so
/// the label set stays small) and its status, errors included.
struct RequestTiming<Context: RequestContext>: RouterMiddleware {
    let durations: RequestDurations

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        func record(_ status: Int) {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            // The pattern as matched; rewritten for display only when /metrics is rendered.
            let route = context.endpointPath ?? "unmatched"
            durations.record(.init(method: request.method.rawValue, route: route, status: status), seconds: seconds)
        }
        do {
            let response = try await next(request, context)
            record(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            record(error.status.code)
            throw error
        } catch {
            record(500)
            throw error
        }
    }
}
