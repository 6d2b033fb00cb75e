import Testing

@testable import Stats

/// SRM against scipy 1.17 `chisquare` (with expected counts from the allocation history) and
/// gbstats 0.8.0 `check_srm`; vectors from scripts/stats_reference.py.
@Suite struct SampleRatioMismatchTests {
    @Test func matchesScipyChiSquare() {
        for row in ReferenceFixture.rows("sampleRatioMismatch") {
            let periods = (row["periods"] as? [[String: Any]] ?? []).map {
                AllocationPeriod(unitCounts: $0["unitCounts"] as? [Double] ?? [], weights: $0["weights"] as? [Double] ?? [])
            }
            let r = SampleRatioMismatch.compute(periods: periods)
            let expected = row["expected"] as? [Double] ?? []
            #expect(zip(r.expected, expected).allSatisfy { isClose($0, $1, relative: 1e-12) } && r.expected.count == expected.count)
            #expect(isClose(r.chiSquare, double(row["chiSquare"]), relative: 1e-10))
            #expect(isClose(r.pValue, double(row["pValue"]), absolute: 1e-300), "\(row["name"]!)")
        }
    }

    @Test func matchesGbstatsCheckSRM() {
        for row in ReferenceFixture.rows("gbstats", "srm") {
            let r = SampleRatioMismatch.compute(periods: [
                AllocationPeriod(unitCounts: row["users"] as? [Double] ?? [], weights: row["weights"] as? [Double] ?? [])
            ])
            #expect(isClose(r.pValue, double(row["pValue"]), absolute: 1e-300))
        }
    }

    @Test func changingAllocationIsNotAMismatch() {
        // 50/50 for 10,000 units then 10/90 for 10,000: expected control = 5,000 + 1,000 = 6,000.
        // Comparing against the final 10/90 weights alone would scream mismatch.
        let periods = [
            AllocationPeriod(unitCounts: [5020, 4980], weights: [0.5, 0.5]),
            AllocationPeriod(unitCounts: [990, 9010], weights: [0.1, 0.9]),
        ]
        let r = SampleRatioMismatch.compute(periods: periods)
        #expect(r.expected == [6000, 14000])
        #expect(!r.isMismatch)
        let naive = SampleRatioMismatch.compute(periods: [AllocationPeriod(unitCounts: [6010, 13990], weights: [0.1, 0.9])])
        #expect(naive.isMismatch)
    }

    @Test func unitsInAZeroWeightArmAreFlagged() {
        let r = SampleRatioMismatch.compute(periods: [AllocationPeriod(unitCounts: [500, 480, 3], weights: [0.5, 0.5, 0])])
        #expect(r.isMismatch && r.message != nil)
    }
}
