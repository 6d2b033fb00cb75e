import Testing

@testable import Spec

/// `validate` accepts the contextual policies the decision service serves, with numeric and
/// one-hot features, and refuses what the service cannot run.
struct ContextualSpecTests {
    static func yaml(_ allocation: String, metrics: String = "{primary: ctr}") -> String {
        """
        name: ctx
        arms:
          - {key: a, strategy: popularity, weight: 0.5, control: true}
          - {key: b, strategy: popularity, weight: 0.5}
        allocation: \(allocation)
        metrics: \(metrics)
        """
    }

    static func validate(_ yaml: String) -> ValidationReport {
        SpecLoader(catalog: .standard).validate(files: ["ctx.yaml": yaml])
    }

    @Test("linucb and linear_thompson with numeric and categorical features validate")
    func accepted() throws {
        for policy in ["linucb", "linear_thompson"] {
            let report = Self.validate(Self.yaml("{policy: \(policy), reward: ctr, features: [tenure, device=mobile, device=tablet]}"))
            #expect(report.findings.isEmpty, "\(report.findings)")
            let spec = try #require(report.specs["ctx.yaml"])
            #expect(spec.allocation.bandit?.params["features"] == .list([.text("tenure"), .text("device=mobile"), .text("device=tablet")]))
        }
    }

    @Test("recall@K cannot be a contextual reward: it is not logged per decision")
    func recallRefused() {
        let report = Self.validate(
            Self.yaml("{policy: linucb, reward: recall@10, features: [x]}", metrics: "{primary: ctr, secondary: [recall@10]}")
        )
        #expect(report.findings.contains { $0.message.contains("not logged online") }, "\(report.findings)")
    }
}
