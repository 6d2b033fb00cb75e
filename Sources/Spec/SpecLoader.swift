import Strategies

/// Loads spec files through a caller-supplied lookup (this module does no file I/O),
/// applies the folder's `defaults.yaml` and `extends:` bases (deep-merged, spec wins), and
/// validates every file together. Findings in a base file point into the base file.
public struct SpecLoader: Sendable {
    public var catalog: StrategyCatalog
    /// The file applied beneath every spec in its folder.
    public static let defaultsFileName = "defaults.yaml"

    public init(catalog: StrategyCatalog) {
        self.catalog = catalog
    }

    /// Validates the files at `paths`; `read` returns a file's text or nil when it does not exist.
    /// A file named `defaults.yaml` is checked as a defaults file, not as an experiment.
    public func validate(paths: [String], read: (String) -> String?) -> ValidationReport {
        let diagnostics = Diagnostics()
        let validator = SpecValidator(catalog: catalog)
        var specs: [String: ExperimentSpec] = [:]
        var claims: [SpecDecoder.LayerClaim] = []
        var names: [String: String] = [:]
        var holdouts: [(holdout: HoldoutSpec, location: SourceLocation)] = []
        for path in paths {
            if SpecPath.fileName(of: path) == Self.defaultsFileName {
                checkDefaults(path, read: read, diagnostics: diagnostics)
                continue
            }
            guard let tree = mergedTree(path, read: read, diagnostics: diagnostics) else { continue }
            let (spec, claim) = validator.decode(tree, diagnostics: diagnostics)
            claims += claim.map { [$0] } ?? []
            guard let spec else { continue }
            if let other = names[spec.name] {
                diagnostics.error(
                    tree["name"]?.location ?? tree.location,
                    "Experiment name '\(spec.name)' is also used by \(other); names must be unique."
                )
                continue
            }
            names[spec.name] = path
            specs[path] = spec
            if let holdout = spec.holdout { holdouts.append((holdout, tree["holdout"]?.location ?? tree.location)) }
        }
        validator.checkLayers(claims, diagnostics: diagnostics)
        validator.checkHoldouts(holdouts, diagnostics: diagnostics)
        let findings = Array(Set(diagnostics.findings)).sorted {
            ($0.file, $0.line, $0.column, $0.message) < ($1.file, $1.line, $1.column, $1.message)
        }
        let failed = Set(findings.filter { $0.severity == .error }.map(\.file))
        return ValidationReport(specs: specs.filter { !failed.contains($0.key) }, findings: findings)
    }

    /// Validates every file in `files` (path → text); lookups of bases and defaults use the same dictionary.
    public func validate(files: [String: String]) -> ValidationReport {
        validate(paths: files.keys.sorted()) { files[$0] }
    }

    /// The spec at `path` with its `extends` chain and folder defaults merged beneath it.
    func mergedTree(_ path: String, read: (String) -> String?, diagnostics: Diagnostics) -> SpecNode? {
        guard let spec = tree(path, read: read, chain: [], diagnostics: diagnostics) else { return nil }
        let defaultsPath = SpecPath.resolve(Self.defaultsFileName, from: path)
        guard let defaultsText = read(defaultsPath) else { return spec }
        var findings: [Finding] = []
        let defaults = SpecNode.parse(defaultsText, file: defaultsPath, findings: &findings)
        diagnostics.append(contentsOf: findings)
        return defaults.map { $0.removing(key: "extends").merged(with: spec) } ?? spec
    }

    private func tree(_ path: String, read: (String) -> String?, chain: [String], diagnostics: Diagnostics) -> SpecNode? {
        guard let text = read(path) else {
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "The file cannot be read; check the path.")
            return nil
        }
        var findings: [Finding] = []
        guard let node = SpecNode.parse(text, file: path, findings: &findings) else {
            diagnostics.append(contentsOf: findings)
            if findings.isEmpty {
                diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "The file is empty; write an experiment spec (see docs/spec.md).")
            }
            return nil
        }
        diagnostics.append(contentsOf: findings)
        guard let extendsNode = node["extends"] else { return node }
        guard let scalar = extendsNode.scalar, scalar.kind == .string, !scalar.text.isEmpty else {
            diagnostics.mismatch(extendsNode, "extends", "the path of a base spec, relative to this file")
            return nil
        }
        let basePath = SpecPath.resolve(scalar.text, from: path)
        if chain.contains(basePath) || basePath == path {
            diagnostics.error(
                extendsNode.location,
                "'extends' makes a cycle (\((chain + [path, basePath]).joined(separator: " → "))); remove one link."
            )
            return nil
        }
        guard read(basePath) != nil else {
            diagnostics.error(
                extendsNode.location,
                "'extends' names '\(scalar.text)', which cannot be read (looked for \(basePath)); fix the path, relative to this file."
            )
            return nil
        }
        guard let base = tree(basePath, read: read, chain: chain + [path], diagnostics: diagnostics) else { return nil }
        return base.merged(with: node.removing(key: "extends"))
    }

    private func checkDefaults(_ path: String, read: (String) -> String?, diagnostics: Diagnostics) {
        guard let text = read(path) else {
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "The file cannot be read; check the path.")
            return
        }
        var findings: [Finding] = []
        let node = SpecNode.parse(text, file: path, findings: &findings)
        diagnostics.append(contentsOf: findings)
        if let node, let reader = MappingReader(node, path: "", diagnostics: diagnostics) {
            reader.rejectUnknownKeys(allowed: SpecDecoder.topLevelKeys.filter { $0 != "extends" })
        }
    }
}
