import Stats
import Testing

@testable import Bandits

@Suite("Constraints applied after the policy")
struct ConstraintTests {
    static let arms = ["control", "b", "c", "d"]

    static func statistics(_ counts: [Double]) -> [ArmStatistics] {
        zip(arms, counts).map { ArmStatistics(arm: $0, successes: $1 / 10, trials: $1) }
    }

    static func weights(_ values: [Double]) -> ArmWeights {
        ArmWeights.normalising(arms: arms, scores: values)
    }

    @Test("A proposal that obeys every limit comes back unchanged")
    func unchangedWhenFeasible() throws {
        let previous = Self.weights([0.25, 0.25, 0.25, 0.25])
        let proposed = Self.weights([0.25, 0.3, 0.25, 0.2])
        let c = AllocationConstraints(floor: 0.1, maxChange: 0.1, control: .init(arm: "control", share: 0.25))
        let w = try constrain(proposed: proposed, previous: previous, statistics: Self.statistics([100, 100, 100, 100]), constraints: c)
        #expect(zip(w.values, proposed.values).allSatisfy { abs($0 - $1) < 1e-15 })
    }

    @Test("By hand: floor then max change on a greedy proposal")
    func byHand() throws {
        // Proposal all on b; no control. Floor 0.05 → box [0.05, 1]; previous equal 0.25 with
        // max change 0.1 → box [0.15, 0.35] for every arm. Projection of (0, 1, 0, 0):
        // w = clamp(p + t): b hits 0.35, others need t ≥ 0.15 → each 0.15 + ... sum 0.35 + 3·0.15 = 0.8 < 1,
        // so raise t until the others give 0.65 / 3 = 0.21667 each (b stays at its cap 0.35).
        let w = try constrain(
            proposed: Self.weights([0, 1, 0, 0]),
            previous: Self.weights([1, 1, 1, 1]),
            statistics: Self.statistics([100, 100, 100, 100]),
            constraints: AllocationConstraints(floor: 0.05, maxChange: 0.1)
        )
        let other = 0.65 / 3
        #expect(zip(w.values, [other, 0.35, other, other]).allSatisfy { abs($0 - $1) < 1e-15 })
    }

    @Test("Burn-in keeps the initial weights until every arm has enough units")
    func burnIn() throws {
        let c = AllocationConstraints(burnInUnits: 50)
        let during = try constrain(
            proposed: Self.weights([0, 1, 0, 0]),
            previous: nil,
            statistics: Self.statistics([49, 1000, 1000, 1000]),
            constraints: c
        )
        #expect(during.values == [0.25, 0.25, 0.25, 0.25])
        let after = try constrain(
            proposed: Self.weights([0, 1, 0, 0]),
            previous: nil,
            statistics: Self.statistics([50, 1000, 1000, 1000]),
            constraints: c
        )
        #expect(after.values == [0, 1, 0, 0])
    }

    @Test("Constraints that cannot hold are rejected")
    func infeasible() {
        let c = AllocationConstraints(floor: 0.3, control: .init(arm: "control", share: 0.5))
        #expect(throws: BanditsError.self) {
            try constrain(proposed: Self.weights([1, 1, 1, 1]), previous: nil, statistics: Self.statistics([1, 1, 1, 1]), constraints: c)
        }
    }

    /// Random constraints, proposals, previous weights and statistics, including zero and
    /// huge counts and proposals with exact zeros and near-one masses.
    @Test("Floors, burn-in, max change and control share hold on 5,000 adversarial inputs")
    func properties() throws {
        var g = SplitMix64(seed: 2026)
        func randomWeights() -> ArmWeights {
            Self.weights(
                Self.arms.map { _ in
                    switch g.next() % 4 {
                    case 0: 0
                    case 1: 1e-300
                    case 2: 1e6 * g.nextUnitDouble()
                    default: g.nextUnitDouble()
                    }
                }
            )
        }
        for trial in 0..<5_000 {
            let hasControl = g.next() % 2 == 0
            let share = 0.05 + 0.6 * g.nextUnitDouble()
            let budget = hasControl ? 1 - share : 1
            let floor = g.next() % 3 == 0 ? 0 : budget / Double(hasControl ? 3 : 4) * g.nextUnitDouble()
            let maxChange = g.next() % 3 == 0 ? nil : 0.001 + 0.3 * g.nextUnitDouble()
            let burnIn = Double(g.next() % 100)
            let c = AllocationConstraints(
                burnInUnits: burnIn,
                floor: floor,
                maxChange: maxChange,
                control: hasControl ? .init(arm: "control", share: share) : nil
            )
            let counts = Self.arms.map { _ in [0, 1, 99, 1e9, 1e15][Int(g.next() % 5)] }
            let statistics = Self.statistics(counts)
            // A feasible previous allocation: the constrained result of a random proposal.
            let previous = try constrain(proposed: randomWeights(), previous: nil, statistics: statistics, constraints: c)
            let w = try constrain(proposed: randomWeights(), previous: previous, statistics: statistics, constraints: c)

            #expect(abs(w.values.reduce(0, +) - 1) <= 1e-12, "trial \(trial): sum")
            if hasControl { #expect(w.values[0] == share, "trial \(trial): control share") }
            for i in (hasControl ? 1 : 0)..<Self.arms.count {
                #expect(w.values[i] >= floor, "trial \(trial): floor")
                if let maxChange { #expect(abs(w.values[i] - previous.values[i]) <= maxChange + 1e-12, "trial \(trial): max change") }
            }
            if counts.contains(where: { $0 < burnIn }) {
                // During burn-in the proposal is ignored: equal weights, constrained the same way.
                let equal = try constrain(
                    proposed: .equal(arms: Self.arms),
                    previous: previous,
                    statistics: statistics,
                    constraints: c
                )
                #expect(w == equal, "trial \(trial): burn-in")
            }
        }
    }

    @Test("When the previous weights break a new floor, they move to it as fast as possible")
    func recoveryFromInfeasiblePrevious() throws {
        // Previous (0.97, 0.01, 0.01, 0.01); the new floor 0.2 needs each small arm to gain 0.19,
        // more than max change 0.05 allows. Arm 0 can keep at most 1 − 3·0.2 = 0.4, a fall of 0.57,
        // so the smallest feasible uniform limit is 0.57 and the result is exactly (0.4, 0.2, 0.2, 0.2).
        let w = try constrain(
            proposed: Self.weights([1, 0, 0, 0]),
            previous: Self.weights([0.97, 0.01, 0.01, 0.01]),
            statistics: Self.statistics([10, 10, 10, 10]),
            constraints: AllocationConstraints(floor: 0.2, maxChange: 0.05)
        )
        #expect(zip(w.values, [0.4, 0.2, 0.2, 0.2]).allSatisfy { abs($0 - $1) < 1e-9 })
    }
}
