extension SpecDecoder {
    /// Decodes `metrics:`: names with K, guardrails, attribution window and gains.
    func decodeMetrics(_ node: SpecNode) -> MetricsSpec? {
        guard let reader = MappingReader(node, path: "metrics", diagnostics: diagnostics) else { return nil }
        let errorsBefore = diagnostics.errorCount
        reader.rejectUnknownKeys(allowed: [
            "primary", "secondary", "guardrails", "k", "attribution_window", "gains", "gain", "definitions", "library",
        ])
        let k = reader.integer("k", in: 1...1000) ?? 10
        let primary = reader.required("primary").flatMap { metric($0, path: "metrics.primary", k: k) }
        var secondary: [MetricName] = []
        if let list = reader["secondary"] {
            if let items = list.items {
                secondary = items.enumerated().compactMap { metric($1, path: "metrics.secondary[\($0)]", k: k) }
            } else {
                diagnostics.mismatch(list, "metrics.secondary", "a list of metric names")
            }
        }
        // `library` was read by the loader (its definitions merged beneath these).
        if let library = reader["library"], library.scalar?.kind != .string {
            diagnostics.mismatch(library, "metrics.library", "the path of a metrics library file, relative to this spec")
        }
        var definitions = reader["definitions"].map { decodeOutcomeMetrics($0) } ?? []
        let guardrails = reader["guardrails"].map { decodeGuardrails($0, k: k, definitions: &definitions) } ?? []
        let window = reader.duration("attribution_window") ?? SpecDuration(seconds: 86_400)
        let gains = decodeGains(reader)
        let gain = reader.choice("gain", as: GainKind.self) ?? .linear
        guard diagnostics.errorCount == errorsBefore, let primary else { return nil }
        return MetricsSpec(
            primary: primary,
            secondary: secondary,
            guardrails: guardrails,
            k: k,
            attributionWindow: window,
            gains: gains,
            gain: gain,
            definitions: definitions
        )
    }

    /// A metric name such as `ndcg@10`, `ndcg` (K from `metrics.k`) or `ctr`.
    func metric(_ node: SpecNode, path: String, k: Int) -> MetricName? {
        guard let scalar = node.scalar, scalar.kind == .string else {
            diagnostics.mismatch(node, path, "a metric name such as ndcg@10 or conversion")
            return nil
        }
        switch MetricName.parse(scalar.text, defaultK: k) {
        case .success(let name):
            return name
        case .failure(.unknownKind(let kind)):
            let kinds = MetricName.Kind.allCases.map(\.rawValue)
            let hint = EditDistance.suggestion(for: kind, among: kinds).map {
                "did you mean '\(scalar.text.replacingOccurrences(of: kind, with: $0))'?"
            }
            diagnostics.error(
                node.location,
                "Unknown metric '\(scalar.text)' in '\(path)'; \(hint ?? "use one of: \(MetricName.spellings.joined(separator: ", ")).")"
            )
        case .failure(.badK(let text)):
            diagnostics.error(
                node.location,
                "K in '\(scalar.text)' must be a whole number of at least 1, not '\(text)'; write e.g. \(scalar.text.split(separator: "@")[0])@10."
            )
        case .failure(.kNotAllowed(let kind)):
            diagnostics.error(node.location, "Metric '\(kind.rawValue)' takes no @K; write '\(kind.rawValue)'.")
        }
        return nil
    }

    /// Guardrails on built-in metrics, returned; those on declared metrics are set on `definitions`.
    private func decodeGuardrails(_ node: SpecNode, k: Int, definitions: inout [OutcomeMetric]) -> [Guardrail] {
        guard let items = node.items else {
            diagnostics.mismatch(node, "metrics.guardrails", "a list of {metric, max_relative_drop or max_absolute_drop}")
            return []
        }
        var guardrails: [Guardrail] = []
        for (index, item) in items.enumerated() {
            let path = "metrics.guardrails[\(index)]"
            guard let reader = MappingReader(item, path: path, diagnostics: diagnostics) else { continue }
            reader.rejectUnknownKeys(allowed: ["metric", "max_relative_drop", "max_absolute_drop"])
            let metricNode = reader.required("metric")
            let declared = metricNode?.scalar.flatMap { scalar in definitions.firstIndex { $0.name == scalar.text } }
            let name = declared == nil ? metricNode.flatMap { metric($0, path: "\(path).metric", k: k) } : nil
            let relative = reader.number("max_relative_drop", in: 0...1)
            let absolute = reader.number("max_absolute_drop", in: 0...Double.infinity)
            let given = [reader["max_relative_drop"], reader["max_absolute_drop"]].compactMap { $0 }
            if given.count != 1 {
                let location = given.count == 2 ? given[1].location : item.location
                diagnostics.error(
                    location,
                    "Guardrail '\(path)' needs exactly one of max_relative_drop (0.05 = 5 %) or max_absolute_drop; \(given.isEmpty ? "add one" : "remove one")."
                )
            }
            if let declared, given.count == 1, relative != nil || absolute != nil {
                definitions[declared].maxRelativeDrop = relative
                definitions[declared].maxAbsoluteDrop = absolute
            }
            if let name, given.count == 1, relative != nil || absolute != nil {
                guardrails.append(Guardrail(metric: name, maxRelativeDrop: relative, maxAbsoluteDrop: absolute))
            }
        }
        return guardrails
    }

    private func decodeGains(_ reader: MappingReader) -> [String: Double] {
        var gains = MetricsSpec.defaultGains
        guard let node = reader["gains"], let gainsReader = MappingReader(node, path: "metrics.gains", diagnostics: diagnostics) else { return gains }
        let events = MetricsSpec.defaultGains.keys.sorted()
        gainsReader.rejectUnknownKeys(allowed: events)
        for event in events {
            if let value = gainsReader.number(event, in: 0...1000) { gains[event] = value }
        }
        return gains
    }
}
