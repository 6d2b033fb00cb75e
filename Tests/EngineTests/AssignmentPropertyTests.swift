import Foundation
import Spec
import Testing

@testable import Engine

/// Assignment over 1,000,000 unit ids: arm shares, layer exclusivity, independence across
/// layers and the global holdout. Tolerances: with n = 1e6 the standard error of a share p
/// is sqrt(p(1-p)/n) ≤ 0.0005, so 0.3 percentage points is 6 standard errors.
@Suite struct AssignmentPropertyTests {
    static let units = 1_000_000
    static let holdout = HoldoutSpec(share: 0.1, salt: "test-holdout")

    /// One pass over all units, counting what every property needs.
    struct Tally {
        var armCounts = [0, 0, 0]  // experiment "weights", arms 0.2 / 0.3 / 0.5
        var layerX = [0, 0]  // units in x1, x2
        var bothInLayerX = 0
        var contingency = [[0, 0], [0, 0], [0, 0]]  // "weights" arm × "y" arm
        var segmentByY = [[0, 0], [0, 0]]  // x1/x2 × "y" arm
        var heldOut = 0
        var heldOutButAssigned = 0
        var holdoutDisagreement = 0
    }

    static let tally: Tally = {
        let specs = [
            AssignmentFixtures.spec("weights", weights: [0.2, 0.3, 0.5]),
            AssignmentFixtures.spec("x1", weights: [0.5, 0.5], layer: LayerSpec(name: "x", share: 0.4, offset: 0)),
            AssignmentFixtures.spec("x2", weights: [0.5, 0.5], layer: LayerSpec(name: "x", share: 0.6)),
            AssignmentFixtures.spec("y", weights: [0.5, 0.5], layer: LayerSpec(name: "y", share: 1)),
            AssignmentFixtures.spec("h1", weights: [0.5, 0.5], holdout: holdout),
            AssignmentFixtures.spec("h2", weights: [0.7, 0.3], holdout: holdout),
        ]
        // Force-try in tests: the fixtures have no regex to fail.
        let plan = try! AssignmentPlan(specs: specs)
        let a = plan.assigners
        let (weights, x1, x2, y, h1, h2) = (a["weights"]!, a["x1"]!, a["x2"]!, a["y"]!, a["h1"]!, a["h2"]!)
        var tally = Tally()
        func index(_ assignment: Assignment) -> Int? { assignment.arm.flatMap { Int($0.dropFirst(3)) } }
        for i in 0..<units {
            let unit = "user-\(i)"
            let w = index(weights.assign(unit: unit))!
            let yArm = index(y.assign(unit: unit))!
            tally.armCounts[w] += 1
            tally.contingency[w][yArm] += 1
            let in1 = x1.assign(unit: unit).arm != nil
            let in2 = x2.assign(unit: unit).arm != nil
            if in1 {
                tally.layerX[0] += 1
                tally.segmentByY[0][yArm] += 1
            }
            if in2 {
                tally.layerX[1] += 1
                tally.segmentByY[1][yArm] += 1
            }
            if in1 && in2 { tally.bothInLayerX += 1 }
            let first = h1.assign(unit: unit)
            let second = h2.assign(unit: unit)
            if first.exclusion == .inHoldout {
                tally.heldOut += 1
                if first.arm != nil || second.arm != nil { tally.heldOutButAssigned += 1 }
            }
            if (first.exclusion == .inHoldout) != (second.exclusion == .inHoldout) { tally.holdoutDisagreement += 1 }
        }
        return tally
    }()

    @Test func armSharesMatchWeights() {
        let shares = Self.tally.armCounts.map { Double($0) / Double(Self.units) }
        for (share, weight) in zip(shares, [0.2, 0.3, 0.5]) {
            #expect(abs(share - weight) < 0.003, "share \(share) for weight \(weight)")
        }
    }

    @Test func noUnitInTwoExperimentsOfALayer() {
        let tally = Self.tally
        #expect(tally.bothInLayerX == 0)
        #expect(abs(Double(tally.layerX[0]) / Double(Self.units) - 0.4) < 0.003)
        #expect(abs(Double(tally.layerX[1]) / Double(Self.units) - 0.6) < 0.003)
        // Together the two experiments cover the whole layer.
        #expect(tally.layerX[0] + tally.layerX[1] == Self.units)
    }

    /// Pearson χ² of independence against the 0.999 quantile of χ² with (r−1)(c−1) degrees of
    /// freedom: df 2 → 13.8155 (for df 2, χ² is exponential with mean 2, so the quantile is
    /// −2·ln(0.001)); df 1 → 10.8276 (= 3.2905², the two-sided normal 0.999 point squared);
    /// both as scipy 1.17 `scipy.stats.chi2.ppf(0.999, df)`.
    /// The exact table computed independently with the reference xxHash C library and the
    /// rules of docs/spec.md (scripts/assignment_contingency.py; scipy 1.17
    /// `chi2_contingency` gives χ² = 1.589, p = 0.45 for it).
    @Test func contingencyMatchesTheReferenceImplementation() {
        #expect(Self.tally.contingency == [[100_264, 100_195], [149_672, 149_886], [250_522, 249_461]])
        #expect(abs(Self.chiSquare(Self.tally.contingency) - 1.589093) < 1e-5)
    }

    @Test func experimentsInDifferentLayersAreIndependent() {
        #expect(Self.chiSquare(Self.tally.contingency) < 13.8155)
        #expect(Self.chiSquare(Self.tally.segmentByY) < 10.8276)
    }

    @Test func holdoutIsHonoured() {
        let tally = Self.tally
        #expect(abs(Double(tally.heldOut) / Double(Self.units) - 0.1) < 0.003)
        #expect(tally.heldOutButAssigned == 0)
        #expect(tally.holdoutDisagreement == 0)
    }

    /// Pearson's χ² statistic of a contingency table.
    static func chiSquare(_ table: [[Int]]) -> Double {
        let total = Double(table.joined().reduce(0, +))
        let rows = table.map { Double($0.reduce(0, +)) }
        let columns = table[0].indices.map { j in Double(table.reduce(0) { $0 + $1[j] }) }
        var statistic = 0.0
        for (i, row) in table.enumerated() {
            for (j, observed) in row.enumerated() {
                let expected = rows[i] * columns[j] / total
                statistic += (Double(observed) - expected) * (Double(observed) - expected) / expected
            }
        }
        return statistic
    }
}
