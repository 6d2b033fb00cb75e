import Foundation
import Strategies
import Testing

@testable import Spec

/// `allocation.window`: decoded as a duration, stored in the canonical JSON only when given,
/// so specs stored before the field existed keep their exact canonical form.
@Suite struct AllocationWindowSpecTests {
    static func spec(_ allocation: String) throws -> ExperimentSpec {
        let yaml = """
            name: demo
            arms:
              - {key: a, strategy: popularity, control: true}
              - {key: b, strategy: markov}
            metrics: {primary: ctr}
            \(allocation)

            """
        let report = SpecValidator(catalog: .standard).validate(text: yaml, path: "s.yaml")
        return try #require(report.specs["s.yaml"], "\(report.findings)")
    }

    @Test func aWindowIsDecodedAndRoundTrips() throws {
        let spec = try Self.spec("allocation: {policy: thompson, reward: ctr, update_interval: 1h, window: 6h}")
        #expect(spec.allocation.bandit?.window == SpecDuration(seconds: 6 * 3600))
        let json = try spec.canonicalJSON()
        #expect(json.contains("\"window\":\"6h\""))
        #expect(try ExperimentSpec(canonicalJSON: json) == spec)
    }

    @Test func aWindowEqualToTheUpdateIntervalIsAccepted() throws {
        let spec = try Self.spec("allocation: {policy: thompson, reward: ctr, update_interval: 90m, window: 1h30m}")
        #expect(spec.allocation.bandit?.window?.seconds == 5400)
    }

    @Test func withoutAWindowTheCanonicalJSONHasNoWindowKey() throws {
        let spec = try Self.spec("allocation: {policy: thompson, reward: ctr}")
        #expect(spec.allocation.bandit?.window == nil)
        #expect(!(try spec.canonicalJSON()).contains("\"window\""))  // (attribution_window is another key)
    }

    /// A spec stored before the field existed (canonical JSON without `window`) still reads.
    @Test func aStoredSpecWithoutTheFieldStillDecodes() throws {
        let old = try Self.spec("allocation: {policy: thompson, reward: ctr, update_interval: 2h}")
        let decoded = try ExperimentSpec(canonicalJSON: try old.canonicalJSON())
        #expect(decoded.allocation.bandit?.window == nil)
        #expect(decoded.allocation.bandit?.updateInterval.seconds == 7200)
    }
}
