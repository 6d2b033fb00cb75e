import Testing

@testable import Spec

/// Each broken spec yields exactly its expected findings, at the expected line and column.
@Suite struct BrokenSpecTests {
    @Test(arguments: BrokenSpecCase.all)
    func reportsExactFindings(_ testCase: BrokenSpecCase) {
        #expect(testCase.findings() == testCase.expected)
    }

    @Test func thereAreAtLeastFortyCases() {
        #expect(BrokenSpecCase.all.count >= 40)
    }

    @Test func theBaseSpecIsValid() {
        #expect(BrokenSpecCase("base", BrokenSpecCase.base()).findings() == [])
    }
}
