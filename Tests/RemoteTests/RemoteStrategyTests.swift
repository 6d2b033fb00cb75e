import Foundation
import Remote
import Strategies
import TestSupport
import Testing

/// The remote strategy against a real HTTP model server on loopback: `ModelEndpoint`, a
/// stand-in (outside the project) for a model served elsewhere.
@Suite(.serialized) struct RemoteStrategyTests {
    /// Many more asks than the test's executor has threads (two).
    static let barrierParties = 16

    func fittedFallback() throws -> any RecommendationStrategy {
        let fallback = try StrategyRegistry.make(name: "popularity")
        // Item "local" is the most popular: the fallback ranks it first.
        let interactions =
            (0..<5).map { Interaction(unit: "u\($0)", item: "local", time: Double($0)) } + [Interaction(unit: "u9", item: "other", time: 9)]
        try fallback.fit(interactions, catalogue: ItemCatalogue(ids: ["local", "other"]))
        return fallback
    }

    @Test
    func theEndpointAnswersAndFailuresFallBack() throws {
        let endpoint = try ModelEndpoint(parties: Self.barrierParties)
        defer { endpoint.stop() }
        #expect(endpoint.port > 0)
        let request = RecommendationRequest(unit: "u1", recentItems: ["a"], excludedItems: ["r2"], k: 2)

        let good = RemoteStrategy(url: endpoint.url("/good"), timeout: 1, fallback: try fittedFallback())
        // r2 is excluded by the request, so the endpoint's r1 and r3 come back, best first.
        #expect(good.recommend(request).map(\.item) == ["r1", "r3"])
        #expect(good.counts == (1, 0))

        let slow = RemoteStrategy(url: endpoint.url("/slow"), timeout: 0.1, fallback: try fittedFallback())
        // The answer comes after 2 s, the timeout is 0.1 s: the fallback answers, and the
        // endpoint's (valid) late answer is not used.
        #expect(slow.recommend(request).first?.item == "local")
        #expect(slow.counts == (0, 1))

        let broken = RemoteStrategy(url: endpoint.url("/broken"), timeout: 1, fallback: try fittedFallback())
        #expect(broken.recommend(request).first?.item == "local")

        let refused = RemoteStrategy(url: URL(string: "http://127.0.0.1:1/none")!, timeout: 1, fallback: try fittedFallback())
        #expect(refused.recommend(request).first?.item == "local")
    }

    @Test func parametersAreValidatedLikeEveryStrategy() {
        #expect(throws: StrategyError.missingParameter(strategy: "remote", parameter: "url")) {
            try RemoteStrategy.make(parameters: [:])
        }
        #expect(
            throws: StrategyError.invalidParameter(strategy: "remote", parameter: "url", value: "ftp://x", expected: "an http:// or https:// URL")
        ) {
            try RemoteStrategy.make(parameters: ["url": "ftp://x"])
        }
        #expect(
            throws: StrategyError.invalidParameter(strategy: "remote", parameter: "timeout_ms", value: "0", expected: "an integer from 1 to 10000")
        ) {
            try RemoteStrategy.make(parameters: ["url": "http://h/x", "timeout_ms": "0"])
        }
        #expect((try? RemoteStrategy.make(parameters: ["url": "http://h/x", "fallback": "markov"]))?.fallback.name == "markov")
    }

    /// The suspending path holds no thread while it waits: `barrierParties` concurrent asks run
    /// on an executor with two threads of its own, and must all be in flight at once for the
    /// endpoint to answer any of them. Had each ask blocked its thread, at most two would reach
    /// the endpoint, its barrier would break, and every ask would fall back. (The shared
    /// cooperative pool is not used: other suites' blocking calls can stall it for longer than
    /// the barrier waits, which once broke this test in CI.)
    @Test
    func suspendingAsksHoldNoThreadWhileTheyWait() async throws {
        let endpoint = try ModelEndpoint(parties: Self.barrierParties)
        defer { endpoint.stop() }
        #expect(endpoint.port > 0)
        let strategy = RemoteStrategy(url: endpoint.url("/barrier"), timeout: 30, fallback: try fittedFallback())
        let request = RecommendationRequest(unit: "u1", recentItems: [], excludedItems: [], k: 1)
        let executor = DedicatedThreadsExecutor(threads: 2)
        defer { executor.shutdown() }
        let firsts = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<Self.barrierParties {
                group.addTask(executorPreference: executor) { await strategy.recommendSuspending(request).first?.item }
            }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(firsts == Array(repeating: "r1", count: Self.barrierParties))
        #expect(strategy.counts == (Self.barrierParties, 0))

        let slow = RemoteStrategy(url: endpoint.url("/slow"), timeout: 0.1, fallback: try fittedFallback())
        // The timeout resumes the caller with the fallback's answer before the endpoint's.
        #expect(await slow.recommendSuspending(request).first?.item == "local")
        #expect(slow.counts == (0, 1))
    }
}
