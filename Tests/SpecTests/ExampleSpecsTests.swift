import Foundation
import Strategies
import Testing

@testable import Spec

/// Every spec under experiments/ must validate against the standard catalogue.
@Suite struct ExampleSpecsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../experiments").standardized

    static func files() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        var files: [String: String] = [:]
        for name in names { files["experiments/\(name)"] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        return files
    }

    @Test func everyExampleIsValid() throws {
        let files = try Self.files()
        let report = SpecLoader(catalog: .standard).validate(files: files)
        #expect(report.findings.map(\.description) == [])
        #expect(report.specs.count == files.count - 1)
        #expect(report.specs.count >= 5)
    }

    @Test func examplesCoverEachFeature() throws {
        let specs = Array(SpecLoader(catalog: .standard).validate(files: try Self.files()).specs.values)
        #expect(
            specs.contains {
                $0.allocation.bandit?.policy == .thompson && $0.arms.count == 3 && $0.allocation.bandit?.reward == MetricName(.conversion)
            }
        )
        #expect(specs.contains { $0.allocation.bandit?.policy == .ucb1 && $0.allocation.bandit?.reward == MetricName(.ndcg, k: 10) })
        #expect(specs.contains { $0.allocation.type == .fixed && $0.arms.map(\.weight) == [0.5, 0.5] && $0.targeting == nil && $0.layer == nil })
        #expect(specs.filter { $0.layer?.name == "product-page" }.count == 2)
        #expect(specs.contains { $0.targeting != nil })
        // Declared business metrics with a guardrail on one (docs/metrics.md).
        #expect(specs.contains { $0.metrics.definitions.count == 5 && $0.metrics.definition(named: "revenue_per_user")?.hasGuardrail == true })
        // defaults.yaml applies beneath every spec.
        #expect(specs.allSatisfy { $0.holdout == HoldoutSpec(share: 0.05, salt: "global-holdout-2026") && $0.owner == "recsys-team@example.com" })
    }
}
