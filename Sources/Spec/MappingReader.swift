/// A mapping node being decoded: reports unknown keys (with a did-you-mean) and missing
/// required keys, and reads typed values, recording a finding for every problem.
struct MappingReader {
    let node: SpecNode
    /// The dotted path of this mapping, e.g. `allocation` or `arms[1]`; empty at the top.
    let path: String
    let diagnostics: Diagnostics

    /// Nil (after reporting) when `node` is not a mapping.
    init?(_ node: SpecNode, path: String, diagnostics: Diagnostics) {
        guard node.entries != nil else {
            diagnostics.mismatch(node, path.isEmpty ? "the experiment" : path, "a mapping of keys to values")
            return nil
        }
        self.node = node
        self.path = path
        self.diagnostics = diagnostics
    }

    /// The phrase naming this mapping in messages.
    var context: String { path.isEmpty ? "the experiment" : "'\(path)'" }

    /// The dotted path of `key` inside this mapping.
    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Reports every key not in `allowed`, suggesting the closest allowed key.
    func rejectUnknownKeys(allowed: [String], explain: (String) -> String? = { _ in nil }) {
        for entry in node.entries ?? [] where !allowed.contains(entry.key) {
            if !diagnostics.keepsFindings(in: entry.keyLocation.file) {
                diagnostics.error(entry.keyLocation, "Unknown key '\(entry.key)' in \(context).")  // counted, not shown
            } else if let explanation = explain(entry.key) {
                diagnostics.error(entry.keyLocation, explanation)
            } else if let suggestion = EditDistance.suggestion(for: entry.key, among: allowed) {
                diagnostics.error(entry.keyLocation, "Unknown key '\(entry.key)' in \(context); did you mean '\(suggestion)'?")
            } else {
                diagnostics.error(
                    entry.keyLocation,
                    "Unknown key '\(entry.key)' in \(context); remove it or use one of: \(allowed.joined(separator: ", "))."
                )
            }
        }
    }

    /// The value of `key`, treating an explicit null as absent.
    subscript(key: String) -> SpecNode? {
        guard let value = node[key] else { return nil }
        if case .scalar(let scalar) = value.content, scalar.kind == .null { return nil }
        return value
    }

    /// The entry of `key` (for the key's own location).
    func entry(_ key: String) -> SpecNode.Entry? { node.entries?.first { $0.key == key } }

    /// The value of a required `key`, reporting it when missing.
    func required(_ key: String) -> SpecNode? {
        guard let value = self[key] else {
            let location = entry(key)?.keyLocation ?? node.location
            diagnostics.error(location, "Missing required key '\(path(of: key))' in \(context); add it.")
            return nil
        }
        return value
    }

    /// Text at `key`.
    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = required ? self.required(key) : self[key] else { return nil }
        guard let scalar = value.scalar, scalar.kind == .string else {
            diagnostics.mismatch(value, path(of: key), "text (quote it if it looks like a number or boolean)")
            return nil
        }
        return scalar.text
    }

    /// A name-like word at `key`: lowercase letters, digits, '-', '_' and '.', 1 to 64 characters.
    func identifier(_ key: String, required: Bool = false) -> String? {
        guard let text = string(key, required: required), let value = self[key] else { return nil }
        guard Self.isIdentifier(text) else {
            diagnostics.error(
                value.location,
                "'\(path(of: key))' must be 1 to 64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit, not \"\(text)\"."
            )
            return nil
        }
        return text
    }

    /// Whether `text` is a valid name for experiments, arms and layers.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64 else { return false }
        let allowed = { (c: Unicode.Scalar) in ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "." }
        return (("a"..."z").contains(first) || ("0"..."9").contains(first)) && text.unicodeScalars.allSatisfy(allowed)
    }

    /// A number at `key` within `range` (inclusive bounds, or exclusive where noted in `expectation`).
    func number(_ key: String, required: Bool = false, in range: ClosedRange<Double>, lowerExclusive: Bool = false) -> Double? {
        guard let value = required ? self.required(key) : self[key] else { return nil }
        let low = lowerExclusive ? "greater than \(Self.format(range.lowerBound))" : "from \(Self.format(range.lowerBound))"
        let expectation: String
        if range.lowerBound == -.infinity {
            expectation = "a number"
        } else if range.upperBound == .infinity {
            expectation = lowerExclusive ? "a number \(low)" : "a number of at least \(Self.format(range.lowerBound))"
        } else {
            expectation = "a number \(low) to \(Self.format(range.upperBound))"
        }
        guard let scalar = value.scalar, let number = Self.number(of: scalar) else {
            diagnostics.mismatch(value, path(of: key), expectation)
            return nil
        }
        guard range.contains(number), !(lowerExclusive && number == range.lowerBound) else {
            diagnostics.mismatch(value, path(of: key), expectation)
            return nil
        }
        return number
    }

    /// A whole number at `key` within `range`.
    func integer(_ key: String, required: Bool = false, in range: ClosedRange<Int>) -> Int? {
        guard let value = required ? self.required(key) : self[key] else { return nil }
        let expectation =
            range.upperBound == .max
            ? "a whole number of at least \(range.lowerBound)" : "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard case .scalar(let scalar) = value.content, case .integer(let number) = scalar.kind, range.contains(number) else {
            diagnostics.mismatch(value, path(of: key), expectation)
            return nil
        }
        return number
    }

    /// A boolean at `key`.
    func bool(_ key: String) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .scalar(let scalar) = value.content, case .bool(let flag) = scalar.kind else {
            diagnostics.mismatch(value, path(of: key), "true or false")
            return nil
        }
        return flag
    }

    /// One of the raw values of `T` at `key`.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) -> T? where T.RawValue == String {
        guard let value = self[key] else { return nil }
        let options = T.allCases.map(\.rawValue)
        guard let scalar = value.scalar, scalar.kind == .string || scalar.kind == .null || isBoolLike(scalar), let choice = T(rawValue: scalar.text)
        else {
            let hint = value.scalar.flatMap { EditDistance.suggestion(for: $0.text, among: options) }.map { "; did you mean '\($0)'" } ?? ""
            diagnostics.error(value.location, "'\(path(of: key))' must be one of \(options.joined(separator: ", ")), not \(value.kindPhrase)\(hint).")
            return nil
        }
        return choice
    }

    private func isBoolLike(_ scalar: SpecNode.Scalar) -> Bool {
        if case .bool = scalar.kind { return true }
        return false
    }

    /// A duration such as `15m` or `1h` at `key`, at least `minimum` seconds.
    func duration(_ key: String, minimum: Int = 1) -> SpecDuration? {
        guard let value = self[key] else { return nil }
        guard let scalar = value.scalar, let duration = SpecDuration(parsing: scalar.text), duration.seconds >= minimum else {
            diagnostics.mismatch(value, path(of: key), "a positive duration such as 30s, 15m, 1h, 7d or 1h30m")
            return nil
        }
        return duration
    }

    /// The numeric value of a scalar, if it is a number.
    static func number(of scalar: SpecNode.Scalar) -> Double? {
        switch scalar.kind {
        case .integer(let value): return Double(value)
        case .real(let value): return value.isFinite ? value : nil
        default: return nil
        }
    }

    /// A bound printed without a trailing `.0`.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
