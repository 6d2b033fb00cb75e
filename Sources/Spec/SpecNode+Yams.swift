import Yams

extension SpecNode {
    /// The most bytes a spec file may hold; the examples hold about 1 KiB.
    static let maxBytes = 1 << 20
    /// The most nodes a file may stand for once every alias is replaced by the node it names
    /// (`YAMLExpansion`); the examples stand for about 100.
    static let maxNodes = 50_000

    /// Composes `text` with Yams and converts it to a located tree. Aliases arrive resolved
    /// by Yams (pointing at the anchored node); merge keys (`<<: *base`) are applied here,
    /// since Yams's composer leaves them as ordinary `<<` entries. Returns nil for an empty
    /// document; YAML syntax errors, a file over `maxBytes` and one that expands past
    /// `maxNodes` become findings (the last two checked before Yams builds anything).
    /// libyaml itself stops at 1000 levels of nesting.
    static func parse(_ text: String, file: String, findings: inout [Finding]) -> SpecNode? {
        guard text.utf8.count <= maxBytes else {
            findings.append(
                Finding(
                    at: SourceLocation(file: file, line: 1, column: 1),
                    "The file holds more than \(maxBytes) bytes (1 MiB), the most a spec may hold; check that this is the spec you meant."
                )
            )
            return nil
        }
        if let (line, column) = YAMLExpansion.firstExcess(in: text, limit: maxNodes) {
            findings.append(
                Finding(
                    at: SourceLocation(file: file, line: line, column: column),
                    "The file expands to more than \(maxNodes) YAML nodes once each alias stands for what it names; a spec is far smaller. Check the aliases (*name) that repeat an anchored list or mapping."
                )
            )
            return nil
        }
        let root: Node?
        do {
            // The basic resolver tags every plain scalar as a string without running a regular
            // expression; `scalar(from:)` resolves only those that may be something else. (Yams
            // resolves a node's tag again each time it is hashed or read; with the default
            // resolver that was most of the time spent on a large file.)
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            findings.append(finding(for: error, file: file))
            return nil
        } catch {
            findings.append(Finding(at: SourceLocation(file: file, line: 1, column: 1), "The file is not valid YAML (\(error)); fix the syntax."))
            return nil
        }
        guard let root else { return nil }
        return SpecNode(root, file: file, findings: &findings)
    }

    private init(_ node: Node, file: String, findings: inout [Finding]) {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            self.init(content: .scalar(Self.scalar(from: scalar, node: node)), location: location)
        case .sequence(let sequence):
            let items = sequence.map { SpecNode($0, file: file, findings: &findings) }
            self.init(content: .sequence(items), location: location)
        case .mapping(let mapping):
            self.init(content: .mapping(Self.entries(of: mapping, file: file, findings: &findings)), location: location)
        case .alias:
            // The composer resolves aliases to their anchored node; an unresolved one is empty.
            self.init(content: .scalar(Scalar(text: "", kind: .null)), location: location)
        }
    }

    /// The entries of a mapping with merge keys applied: explicit keys win over merged ones,
    /// and within a list of merged mappings the earlier mapping wins (YAML merge key spec).
    private static func entries(of mapping: Node.Mapping, file: String, findings: inout [Finding]) -> [Entry] {
        var explicit: [Entry] = []
        var merged: [Entry] = []
        var mergedKeys = Set<String>()
        for (keyNode, valueNode) in mapping {
            let keyLocation = SourceLocation(file: file, line: keyNode.mark?.line ?? 1, column: keyNode.mark?.column ?? 1)
            guard case .scalar(let keyScalar) = keyNode else {
                findings.append(
                    Finding(
                        at: keyLocation,
                        "Keys must be plain words, not \(keyNode.mapping != nil ? "mappings" : "lists"); rewrite this key as text."
                    )
                )
                continue
            }
            let value = SpecNode(valueNode, file: file, findings: &findings)
            if keyScalar.string == "<<" && keyScalar.style == .plain {
                let sources = value.items ?? [value]
                for source in sources {
                    guard let sourceEntries = source.entries else {
                        findings.append(
                            Finding(
                                at: source.location,
                                "A merge key '<<' takes a mapping or a list of mappings, not \(source.kindPhrase); point it at an anchored mapping such as *base."
                            )
                        )
                        continue
                    }
                    for entry in sourceEntries where mergedKeys.insert(entry.key).inserted {
                        merged.append(entry)
                    }
                }
                continue
            }
            explicit.append(Entry(key: keyScalar.string, keyLocation: keyLocation, value: value))
        }
        let explicitKeys = Set(explicit.map(\.key))
        let fromMerge = merged.filter { !explicitKeys.contains($0.key) }
        return fromMerge + explicit
    }

    /// First characters of the plain scalars YAML 1.1 may read as something other than a string:
    /// numbers, `.inf`/`.nan`, `~`, and the words null, true/false, yes/no, on/off, y/n.
    private static let typedStarts = Set("0123456789+-.~nNtTfFyYoO".unicodeScalars)

    /// `text` as an Int when it is `[-+]?(0|[1-9][0-9]*)` and fits; nil otherwise.
    static func plainDecimal(_ text: String) -> Int? {
        var digits = Substring(text).utf8
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard let first = digits.first, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            first != UInt8(ascii: "0") || digits.count == 1
        else { return nil }
        // Int("+5") is 5 and Int("-5") is -5, as YAML reads them.
        return Int(text)
    }

    /// `text` as a Double when it is `[-+]?[0-9]+\.[0-9]+` (no exponent, no underscores: no other
    /// YAML 1.1 type matches it); nil otherwise.
    static func plainFraction(_ text: String) -> Double? {
        var rest = Substring(text).utf8
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { rest = rest.dropFirst() }
        guard let dot = rest.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let whole = rest[..<dot]
        let fraction = rest[rest.index(after: dot)...]
        guard !whole.isEmpty, !fraction.isEmpty, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit) else { return nil }
        return Double(text)
    }

    private static func scalar(from scalar: Node.Scalar, node: Node) -> Scalar {
        guard scalar.style == .plain else { return Scalar(text: scalar.string, kind: .string) }
        guard let first = scalar.string.unicodeScalars.first else { return Scalar(text: "", kind: .null) }
        guard typedStarts.contains(first) else { return Scalar(text: scalar.string, kind: .string) }
        // A plain decimal integer (no leading zero, which YAML 1.1 reads as octal) is read
        // directly; Yams's Int.construct also tries sexagesimal forms with a regular expression.
        if let value = Self.plainDecimal(scalar.string) { return Scalar(text: scalar.string, kind: .integer(value)) }
        if let value = Self.plainFraction(scalar.string) { return Scalar(text: scalar.string, kind: .real(value)) }
        switch Resolver.default.resolveTag(of: node) {
        case .null: return Scalar(text: scalar.string, kind: .null)
        case .bool: return Scalar(text: scalar.string, kind: node.bool.map(ScalarKind.bool) ?? .string)
        case .int:
            if let value = node.int { return Scalar(text: scalar.string, kind: .integer(value)) }
            return Scalar(text: scalar.string, kind: node.float.map(ScalarKind.real) ?? .string)
        case .float: return Scalar(text: scalar.string, kind: node.float.map(ScalarKind.real) ?? .string)
        default: return Scalar(text: scalar.string, kind: .string)
        }
    }

    private static func finding(for error: YamlError, file: String) -> Finding {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Finding(at: at(mark), "The YAML cannot be read: \(problem); fix the syntax here.")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Finding(at: at(context.mark), "The key \(keys) appears twice in one mapping; keep one of them.")
        default:
            return Finding(at: SourceLocation(file: file, line: 1, column: 1), "The file is not valid YAML (\(error)); fix the syntax.")
        }
    }
}
