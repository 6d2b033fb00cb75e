import Strategies

@testable import Spec

/// A broken spec and the exact findings (`line:column: message`) it must produce.
struct BrokenSpecCase: CustomStringConvertible, Sendable {
    var name: String
    var yaml: String
    var expected: [String]

    init(_ name: String, _ yaml: String, _ expected: String...) {
        self.name = name
        self.yaml = yaml
        self.expected = expected
    }

    var description: String { name }

    /// The findings of validating `yaml` as `spec.yaml`, without the file name.
    func findings() -> [String] {
        SpecValidator(catalog: .standard).validate(text: yaml, path: "spec.yaml").findings.map {
            String($0.description.dropFirst("spec.yaml:".count))
        }
    }

    /// A minimal valid spec (5 lines) with `lines` appended from line 6 on.
    static func base(_ lines: String = "") -> String {
        """
        name: demo
        arms:
          - {key: a, strategy: popularity, control: true}
          - {key: b, strategy: markov}
        metrics: {primary: ctr}

        """ + lines
    }
}
