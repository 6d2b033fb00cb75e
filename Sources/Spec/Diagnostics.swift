/// Collects findings while a spec is loaded and checked. At most `maxFindingsPerFile` are kept
/// for a file; the rest are counted and reported as one closing finding, so a file of 30 000
/// unknown keys costs a screenful of output, not 30 000 lines.
final class Diagnostics {
    static let maxFindingsPerFile = 100

    private var kept: [Finding] = []
    /// Errors recorded, kept or not; compare before and after a step to see if it failed.
    private(set) var errorCount = 0
    private var keptPerFile: [String: Int] = [:]
    /// Per file: where the first finding not kept stands, and how many were not kept.
    private var dropped: [String: (first: SourceLocation, count: Int)] = [:]

    /// The findings kept, then for each file past the limit one finding saying how many more there are.
    var findings: [Finding] {
        kept
            + dropped.map { file, drop in
                Finding(
                    at: drop.first,
                    "\(drop.count) more findings in \(file), from here on, are not shown (at most \(Self.maxFindingsPerFile) per file); fix the ones above and validate again."
                )
            }
    }

    private func record(_ finding: Finding) {
        if finding.severity == .error { errorCount += 1 }
        let count = keptPerFile[finding.file, default: 0]
        guard count < Self.maxFindingsPerFile else {
            dropped[finding.file] = (dropped[finding.file]?.first ?? finding.location, (dropped[finding.file]?.count ?? 0) + 1)
            return
        }
        keptPerFile[finding.file] = count + 1
        kept.append(finding)
    }

    /// Whether a finding in `file` would still be kept; when not, a caller may skip working out
    /// its message (a suggestion by edit distance, say).
    func keepsFindings(in file: String) -> Bool {
        keptPerFile[file, default: 0] < Self.maxFindingsPerFile
    }

    /// Records an error at `location`.
    func error(_ location: SourceLocation, _ message: String) {
        record(Finding(at: location, message))
    }

    /// Records a warning at `location`.
    func warning(_ location: SourceLocation, _ message: String) {
        record(Finding(at: location, message, severity: .warning))
    }

    /// Records findings produced elsewhere (YAML syntax errors).
    func append(contentsOf other: [Finding]) {
        other.forEach(record)
    }

    /// Reports that `node` at `path` is not what was expected: "'path' must be X, not Y."
    func mismatch(_ node: SpecNode, _ path: String, _ expectation: String) {
        error(node.location, "'\(path)' must be \(expectation), not \(node.kindPhrase).")
    }
}
