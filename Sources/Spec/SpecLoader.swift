import Strategies

/// Loads spec files through a caller-supplied lookup (this module does no file I/O),
/// applies the folder's `defaults.yaml` and `extends:` bases (deep-merged, spec wins), and
/// validates every file together. Findings in a base file point into the base file.
public struct SpecLoader: Sendable {
    public var catalog: StrategyCatalog
    /// The file applied beneath every spec in its folder.
    public static let defaultsFileName = "defaults.yaml"
    /// The most bytes a spec file may hold; past it the file is refused unread, so a reader
    /// need read no more than one byte beyond.
    public static let maxFileBytes = SpecNode.maxBytes

    /// Folders besides the spec's own that `extends:` may read bases from; "" is the folder
    /// relative paths are relative to (the caller's current directory). A base anywhere else
    /// is refused unread, so validating a spec from a pull request cannot quote other files.
    public var extendsRoots: [String]

    public init(catalog: StrategyCatalog, extendsRoots: [String] = [""]) {
        self.catalog = catalog
        self.extendsRoots = extendsRoots
    }

    /// Whether `path` lies inside `folder` ("" meaning the relative paths that do not climb out).
    static func isInside(_ path: String, folder: String) -> Bool {
        if folder.isEmpty { return !path.hasPrefix("/") && path != ".." && !path.hasPrefix("../") }
        return path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// Validates the files at `paths`; `read` returns a file's text or nil when it does not exist.
    /// A file named `defaults.yaml` is checked as a defaults file, not as an experiment.
    public func validate(paths: [String], read: (String) -> String?) -> ValidationReport {
        validate(paths: paths, readFile: { read($0).map(SpecFileContents.text) ?? .unreadable })
    }

    /// Validates the files at `paths`; `readFile` says what each holds, so that a file that is not
    /// UTF-8 is reported at its first bad byte rather than as unreadable.
    public func validate(paths: [String], readFile read: (String) -> SpecFileContents) -> ValidationReport {
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
            // A metrics library in a folder of specs is checked where a spec names it.
            if Self.isMetricsLibrary(read(path)) { continue }
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
    func mergedTree(_ path: String, read: (String) -> SpecFileContents, diagnostics: Diagnostics) -> SpecNode? {
        guard let text = Self.text(of: path, read(path), diagnostics: diagnostics) else { return nil }
        guard let tree = tree(path, text: text, read: read, chain: [], diagnostics: diagnostics) else { return nil }
        let spec = withMetricsLibrary(tree, specPath: path, read: read, diagnostics: diagnostics)
        let defaultsPath = SpecPath.resolve(Self.defaultsFileName, from: path)
        let defaultsContents = read(defaultsPath)
        // A missing defaults file is no defaults; one that is not UTF-8 is reported.
        guard defaultsContents != .unreadable, let defaultsText = Self.text(of: defaultsPath, defaultsContents, diagnostics: diagnostics) else {
            return spec
        }
        var findings: [Finding] = []
        let defaults = SpecNode.parse(defaultsText, file: defaultsPath, findings: &findings)
        diagnostics.append(contentsOf: findings)
        return defaults.map { $0.removing(key: "extends").merged(with: spec) } ?? spec
    }

    /// The most files an `extends` chain may hold beneath a spec.
    static let maxExtendsDepth = 16

    private static let unreadable = "The file cannot be read (it is missing or not a regular file); check the path."

    /// The text of the file at `path`, or nil with a finding: unreadable at 1:1, not UTF-8 at its first bad byte.
    private static func text(of path: String, _ contents: SpecFileContents, diagnostics: Diagnostics) -> String? {
        switch contents {
        case .text(let text):
            return text
        case .unreadable:
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1), unreadable)
        case .notUTF8(let line, let column, _):
            diagnostics.error(SourceLocation(file: path, line: line, column: column), contents.notUTF8Message() ?? unreadable)
        }
        return nil
    }

    /// The spec in `text` (the file at `path`) with its `extends` chain merged beneath it.
    private func tree(_ path: String, text: String, read: (String) -> SpecFileContents, chain: [String], diagnostics: Diagnostics) -> SpecNode? {
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
        guard basePath.hasSuffix(".yaml") || basePath.hasSuffix(".yml") else {
            // A base is a spec file; this keeps `extends` from reading (and findings from quoting) any other file.
            diagnostics.error(extendsNode.location, "'extends' names '\(scalar.text)', which is not a .yaml or .yml file; name a base spec.")
            return nil
        }
        let specFolder = SpecPath.directory(of: chain.first ?? path)
        guard ([specFolder] + extendsRoots).contains(where: { Self.isInside(basePath, folder: $0) }) else {
            diagnostics.error(
                extendsNode.location,
                "'extends' names '\(scalar.text)', which is outside the spec's folder and the current directory; keep bases beside the specs."
            )
            return nil
        }
        guard chain.count < Self.maxExtendsDepth else {
            diagnostics.error(
                extendsNode.location,
                "'extends' chains more than \(Self.maxExtendsDepth) bases beneath the spec (\((chain + [path]).joined(separator: " → "))); merge some of the bases."
            )
            return nil
        }
        let baseContents = read(basePath)
        guard case .text(let baseText) = baseContents else {
            if baseContents == .unreadable {
                diagnostics.error(
                    extendsNode.location,
                    "'extends' names '\(scalar.text)', which cannot be read (looked for \(basePath)); fix the path, relative to this file."
                )
            } else {
                _ = Self.text(of: basePath, baseContents, diagnostics: diagnostics)
            }
            return nil
        }
        guard let base = tree(basePath, text: baseText, read: read, chain: chain + [path], diagnostics: diagnostics) else { return nil }
        return base.merged(with: node.removing(key: "extends"))
    }

    /// Whether `contents` is a metrics library: a mapping whose only key is `definitions`.
    static func isMetricsLibrary(_ contents: SpecFileContents) -> Bool {
        guard case .text(let text) = contents, text.contains("definitions") else { return false }
        var findings: [Finding] = []
        return SpecNode.parse(text, file: "", findings: &findings)?.entries?.map(\.key) == ["definitions"]
    }

    /// `spec` with the `definitions` of its `metrics.library` file (a path relative to the
    /// spec, inside the spec's folder or the allowed roots) merged beneath its own
    /// `metrics.definitions`: a metric the spec declares itself wins over the library's.
    func withMetricsLibrary(_ spec: SpecNode, specPath: String, read: (String) -> SpecFileContents, diagnostics: Diagnostics) -> SpecNode {
        guard let libraryNode = spec["metrics"]?["library"], let scalar = libraryNode.scalar, scalar.kind == .string else { return spec }
        let libraryPath = SpecPath.resolve(scalar.text, from: specPath)
        guard libraryPath.hasSuffix(".yaml") || libraryPath.hasSuffix(".yml") else {
            diagnostics.error(
                libraryNode.location,
                "'metrics.library' names '\(scalar.text)', which is not a .yaml or .yml file; name a metrics library."
            )
            return spec
        }
        guard ([SpecPath.directory(of: specPath)] + extendsRoots).contains(where: { Self.isInside(libraryPath, folder: $0) }) else {
            diagnostics.error(
                libraryNode.location,
                "'metrics.library' names '\(scalar.text)', which is outside the spec's folder and the current directory; keep libraries beside the specs."
            )
            return spec
        }
        let contents = read(libraryPath)
        guard case .text(let text) = contents else {
            if contents == .unreadable {
                diagnostics.error(
                    libraryNode.location,
                    "'metrics.library' names '\(scalar.text)', which cannot be read (looked for \(libraryPath)); fix the path, relative to this file."
                )
            } else {
                _ = Self.text(of: libraryPath, contents, diagnostics: diagnostics)
            }
            return spec
        }
        var findings: [Finding] = []
        let parsed = SpecNode.parse(text, file: libraryPath, findings: &findings)
        diagnostics.append(contentsOf: findings)
        guard let library = parsed, let reader = MappingReader(library, path: "", diagnostics: diagnostics) else { return spec }
        reader.rejectUnknownKeys(allowed: ["definitions"])
        guard let definitions = reader.required("definitions") else { return spec }
        let entry = { (key: String, value: SpecNode) in SpecNode.Entry(key: key, keyLocation: value.location, value: value) }
        let metrics = SpecNode(content: .mapping([entry("definitions", definitions)]), location: definitions.location)
        let beneath = SpecNode(content: .mapping([entry("metrics", metrics)]), location: library.location)
        return beneath.merged(with: spec)
    }

    private func checkDefaults(_ path: String, read: (String) -> SpecFileContents, diagnostics: Diagnostics) {
        guard let text = Self.text(of: path, read(path), diagnostics: diagnostics) else { return }
        var findings: [Finding] = []
        let node = SpecNode.parse(text, file: path, findings: &findings)
        diagnostics.append(contentsOf: findings)
        if let node, let reader = MappingReader(node, path: "", diagnostics: diagnostics) {
            reader.rejectUnknownKeys(allowed: SpecDecoder.topLevelKeys.filter { $0 != "extends" })
        }
    }
}
