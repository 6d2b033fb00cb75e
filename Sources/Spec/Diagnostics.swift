/// Collects findings while a spec is decoded, so that every problem is reported, not just
/// the first. A reference type so nested readers can share one list.
final class Diagnostics {
    private(set) var findings: [Finding] = []

    /// Records an error at `location`.
    func error(_ location: SourceLocation, _ message: String) {
        findings.append(Finding(at: location, message))
    }

    /// Records a warning at `location`.
    func warning(_ location: SourceLocation, _ message: String) {
        findings.append(Finding(at: location, message, severity: .warning))
    }

    /// Records findings produced elsewhere (YAML syntax errors).
    func append(contentsOf other: [Finding]) {
        findings.append(contentsOf: other)
    }

    /// The number of errors so far; compare before and after a step to see if it failed.
    var errorCount: Int { findings.count { $0.severity == .error } }

    /// Reports that `node` at `path` is not what was expected: "'path' must be X, not Y."
    func mismatch(_ node: SpecNode, _ path: String, _ expectation: String) {
        error(node.location, "'\(path)' must be \(expectation), not \(node.kindPhrase).")
    }
}
