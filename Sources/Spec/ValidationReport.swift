/// The outcome of loading and validating a set of spec files: the specs that are valid and
/// every finding, in file, line and column order.
public struct ValidationReport: Sendable, Equatable {
    /// Valid specs by the path they were loaded from.
    public var specs: [String: ExperimentSpec]
    /// Every problem found, errors and warnings, sorted by location.
    public var findings: [Finding]

    public init(specs: [String: ExperimentSpec], findings: [Finding]) {
        self.specs = specs
        self.findings = findings
    }

    /// Whether any finding is an error.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }

    /// The findings whose file is `path` (a base file's findings carry the base file's path).
    public func findings(in path: String) -> [Finding] { findings.filter { $0.file == path } }
}
