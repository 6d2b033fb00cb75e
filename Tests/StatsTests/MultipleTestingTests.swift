import Testing

@testable import Stats

/// Holm and Benjamini–Hochberg against statsmodels 0.15 `multipletests(method="holm" /
/// "fdr_bh")`; vectors from scripts/stats_reference.py.
@Suite struct MultipleTestingTests {
    @Test func matchesStatsmodels() {
        for row in ReferenceFixture.rows("multipleTesting") {
            let p = row["pValues"] as? [Double] ?? []
            for (key, method) in [("holm", MultipleTestingMethod.holm), ("benjaminiHochberg", .benjaminiHochberg)] {
                let expected = row[key] as? [Double] ?? []
                let actual = MultipleTesting.adjust(p, method: method)
                #expect(actual.count == expected.count && zip(actual, expected).allSatisfy { isClose($0, $1, relative: 1e-12) }, "\(key) \(p)")
            }
        }
    }

    @Test func holmByHandAndEmptyInput() {
        // Holm on [0.01, 0.04, 0.03]: sorted 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06.
        #expect(MultipleTesting.adjust([0.01, 0.04, 0.03], method: .holm).map { ($0 * 1e12).rounded() / 1e12 } == [0.03, 0.06, 0.06])
        #expect(MultipleTesting.adjust([], method: .benjaminiHochberg).isEmpty)
    }
}
