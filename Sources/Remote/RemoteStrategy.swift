import Foundation
import Strategies
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A strategy served elsewhere: each recommendation is asked of an HTTP endpoint, and when it
/// does not answer well within the timeout, a local fallback strategy answers instead. The
/// fallback is fitted, observes and is saved like any strategy, so a remote arm degrades to a
/// real recommender rather than to nothing.
///
/// The endpoint receives `POST {"unit": …, "recent_items": […], "exclude": […], "k": n}` and
/// answers `{"items": [{"item_id": "…", "score": 1.5}, …]}` (best first).
public final class RemoteStrategy: SuspendingRecommendationStrategy, @unchecked Sendable {
    public let name = "remote"
    public let url: URL
    /// Seconds to wait for the endpoint.
    public let timeout: Double
    public let fallback: any RecommendationStrategy
    private let session: URLSession
    /// Concurrent connections to the endpoint.
    public static let maxConnections = 64
    private let lock = NSLock()
    private var fallbackCount = 0
    private var remoteCount = 0

    /// A remote strategy asking `url`, waiting at most `timeout` seconds, else using `fallback`.
    public init(url: URL, timeout: Double, fallback: any RecommendationStrategy) {
        self.url = url
        self.timeout = timeout
        self.fallback = fallback
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        // URLSession's default of 6 connections per host would queue concurrent decisions'
        // asks behind each other (and their timeouts count the queueing).
        configuration.httpMaximumConnectionsPerHost = Self.maxConnections
        session = URLSession(configuration: configuration)
    }

    /// Builds one from spec parameters (`url`, `timeout_ms`, `fallback`), validated with the
    /// same messages as the registry's strategies.
    public static func make(parameters: [String: ParameterValue]) throws(StrategyError) -> RemoteStrategy {
        let known = ["url", "timeout_ms", "fallback"]
        if let unknown = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownParameter(strategy: "remote", parameter: unknown, known: known)
        }
        guard let urlText = parameters["url"]?.yamlText else { throw .missingParameter(strategy: "remote", parameter: "url") }
        guard let url = URL(string: urlText), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw .invalidParameter(strategy: "remote", parameter: "url", value: urlText, expected: "an http:// or https:// URL")
        }
        let timeoutText = parameters["timeout_ms"]?.yamlText ?? "50"
        guard let milliseconds = Int(timeoutText), (1...10_000).contains(milliseconds) else {
            throw .invalidParameter(strategy: "remote", parameter: "timeout_ms", value: timeoutText, expected: "an integer from 1 to 10000")
        }
        let fallbackName = parameters["fallback"]?.yamlText ?? "popularity"
        guard fallbackName != "remote" else {
            throw .invalidParameter(strategy: "remote", parameter: "fallback", value: fallbackName, expected: "a local strategy")
        }
        return RemoteStrategy(url: url, timeout: Double(milliseconds) / 1000, fallback: try StrategyRegistry.make(name: fallbackName))
    }

    public var parameters: [String: ParameterValue] {
        ["url": .text(url.absoluteString), "timeout_ms": .integer(Int((timeout * 1000).rounded())), "fallback": .text(fallback.name)]
    }

    public var dataWindow: DataWindow? { fallback.dataWindow }

    /// How many recommendations came from the endpoint and how many from the fallback.
    public var counts: (remote: Int, fallback: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (remoteCount, fallbackCount)
    }

    public func fit(_ interactions: [Interaction], catalogue: ItemCatalogue) throws(StrategyError) {
        try fallback.fit(interactions, catalogue: catalogue)
    }

    /// Blocks the calling thread for at most the timeout; for batch callers (`abctl eval`).
    public func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        answer(askRemote(request), request)
    }

    /// Suspends for at most the timeout without holding a thread; for the decision service.
    public func recommendSuspending(_ request: RecommendationRequest) async -> [ScoredItem] {
        answer(await askRemoteSuspending(request), request)
    }

    private func answer(_ remote: [ScoredItem]?, _ request: RecommendationRequest) -> [ScoredItem] {
        if let remote {
            count(remote: true)
            return remote
        }
        count(remote: false)
        return fallback.recommend(request)
    }

    public func observe(_ interaction: Interaction) {
        fallback.observe(interaction)
    }

    /// Saves the fallback's model: the endpoint holds no state here, and the spec says where it is.
    public func save(fittedAt: Double?) throws(StrategyError) -> Data {
        try fallback.save(fittedAt: fittedAt)
    }

    private func count(remote: Bool) {
        lock.lock()
        if remote { remoteCount += 1 } else { fallbackCount += 1 }
        lock.unlock()
    }

    /// The endpoint's items, or nil on a timeout, an error status or a malformed answer.
    private func askRemote(_ request: RecommendationRequest) -> [ScoredItem]? {
        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest(for: request)) { data, response, error in
            box.data = Self.body(data, response, error)
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            return nil
        }
        return box.data.flatMap { parse($0, request) }
    }

    /// As `askRemote`, but the caller suspends: whichever comes first, the answer or the
    /// timeout, resumes it once; the other is ignored.
    private func askRemoteSuspending(_ request: RecommendationRequest) async -> [ScoredItem]? {
        let data: Data? = await withCheckedContinuation { continuation in
            let gate = ResumeOnce(continuation)
            let task = session.dataTask(with: urlRequest(for: request)) { data, response, error in
                gate.resume(with: Self.body(data, response, error))
            }
            task.resume()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if gate.resume(with: nil) { task.cancel() }
            }
        }
        return data.flatMap { parse($0, request) }
    }

    private func urlRequest(for request: RecommendationRequest) -> URLRequest {
        var urlRequest = URLRequest(url: url, timeoutInterval: timeout)
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body: [String: Any] = [
            "unit": request.unit, "recent_items": request.recentItems, "exclude": request.excludedItems.sorted(), "k": request.k,
        ]
        urlRequest.httpBody = try? JSONSerialization.data(withJSONObject: body)
        return urlRequest
    }

    /// The response body of a successful (200) exchange, else nil.
    private static func body(_ data: Data?, _ response: URLResponse?, _ error: (any Error)?) -> Data? {
        guard error == nil, let http = response as? HTTPURLResponse, http.statusCode == 200 else { return nil }
        return data
    }

    /// The answer's items without the excluded ones, at most k; nil when it is malformed.
    private func parse(_ data: Data, _ request: RecommendationRequest) -> [ScoredItem]? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let items = object["items"] as? [[String: Any]]
        else { return nil }
        var result: [ScoredItem] = []
        for item in items {
            guard let id = item["item_id"] as? String, let score = (item["score"] as? NSNumber)?.doubleValue, score.isFinite else { return nil }
            if !request.excludedItems.contains(id) { result.append(ScoredItem(item: id, score: score)) }
        }
        return Array(result.prefix(request.k))
    }

    /// The answer handed from URLSession's queue to the waiting caller; written before the
    /// semaphore is signalled and read after it is awaited.
    private final class ResponseBox: @unchecked Sendable {
        var data: Data?
    }

    /// Resumes a continuation exactly once, from URLSession's queue or the timeout's.
    private final class ResumeOnce: Sendable {
        private let continuation: Mutex<CheckedContinuation<Data?, Never>?>

        init(_ continuation: CheckedContinuation<Data?, Never>) {
            self.continuation = Mutex(continuation)
        }

        /// Resumes with `data` and returns true, unless it was resumed already.
        @discardableResult
        func resume(with data: Data?) -> Bool {
            guard let continuation = continuation.withLock({ $0.take() }) else { return false }
            continuation.resume(returning: data)
            return true
        }
    }
}
