import Foundation

extension SpecDecoder {
    /// The keys a declared metric may have.
    static let outcomeMetricKeys = ["source", "aggregation", "numerator", "denominator", "cap", "window", "retention", "covariate"]

    /// Decodes `metrics.definitions`: metric name → definition, in name order; ratios must
    /// name two declared non-ratio metrics.
    func decodeOutcomeMetrics(_ node: SpecNode) -> [OutcomeMetric] {
        guard let entries = node.entries else {
            diagnostics.mismatch(node, "metrics.definitions", "a mapping of metric names to definitions")
            return []
        }
        var metrics: [OutcomeMetric] = []
        for entry in entries {
            let path = "metrics.definitions.\(entry.key)"
            guard OutcomeEventName.isValid(entry.key) else {
                diagnostics.error(entry.keyLocation, "Metric name '\(entry.key)' must be \(OutcomeEventName.rule).")
                continue
            }
            if MetricName.Kind(rawValue: entry.key) != nil {
                diagnostics.error(entry.keyLocation, "Metric name '\(entry.key)' is a built-in metric; choose another name.")
                continue
            }
            if let metric = decodeOutcomeMetric(entry.key, entry.value, path: path) { metrics.append(metric) }
        }
        // Ratios reference two other declared metrics that are not ratios themselves.
        let byName = Dictionary(metrics.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var checked: [OutcomeMetric] = []
        for metric in metrics {
            guard metric.aggregation == .ratio else {
                checked.append(metric)
                continue
            }
            var good = true
            for (key, name) in [("numerator", metric.numerator), ("denominator", metric.denominator)] {
                guard let name, let location = node[metric.name]?[key]?.location else { continue }
                guard let part = byName[name] else {
                    let hint =
                        EditDistance.suggestion(for: name, among: Array(byName.keys)).map { "; did you mean '\($0)'?" }
                        ?? "; declare it in metrics.definitions."
                    diagnostics.error(location, "'metrics.definitions.\(metric.name).\(key)' names '\(name)', which is not a declared metric\(hint)")
                    good = false
                    continue
                }
                if part.aggregation == .ratio || part.aggregation == .mean {
                    diagnostics.error(
                        location,
                        "'metrics.definitions.\(metric.name).\(key)' names '\(name)', a \(part.aggregation.rawValue); a ratio's parts must be count, sum or any metrics."
                    )
                    good = false
                }
            }
            if good { checked.append(metric) }
        }
        return checked.sorted { $0.name < $1.name }
    }

    private func decodeOutcomeMetric(_ name: String, _ node: SpecNode, path: String) -> OutcomeMetric? {
        guard let reader = MappingReader(node, path: path, diagnostics: diagnostics) else { return nil }
        let errorsBefore = diagnostics.errorCount
        reader.rejectUnknownKeys(allowed: Self.outcomeMetricKeys)
        if let covariate = reader["covariate"] {
            diagnostics.error(
                covariate.location,
                "'\(path).covariate' (a pre-exposure CUPED covariate) is not built yet for declared metrics; remove it (docs/metrics.md)."
            )
        }
        let retention = reader["retention"]
        var aggregation = reader.choice("aggregation", as: OutcomeMetric.Aggregation.self)
        if retention != nil {
            if let given = aggregation, given != .any, let location = reader["aggregation"]?.location {
                diagnostics.error(location, "'\(path)' is a retention metric, which is 'any' by definition; remove 'aggregation: \(given.rawValue)'.")
            }
            aggregation = .any
        } else if aggregation == nil, reader["aggregation"] == nil {
            _ = reader.required("aggregation")
        }
        guard let aggregation else { return nil }
        var eventType: String?
        var sql: String?
        var numerator: String?
        var denominator: String?
        if aggregation == .ratio {
            for key in ["source", "window", "cap"] {
                if let extra = reader[key] {
                    diagnostics.error(
                        extra.location,
                        "'\(path)' is a ratio: it takes no '\(key)'; set it on its numerator and denominator metrics."
                    )
                }
            }
            if let node = reader.required("numerator") { numerator = metricReference(node, path: "\(path).numerator") }
            if let node = reader.required("denominator") { denominator = metricReference(node, path: "\(path).denominator") }
        } else {
            for key in ["numerator", "denominator"] {
                if let extra = reader[key] {
                    diagnostics.error(extra.location, "'\(path).\(key)' belongs to ratio metrics; remove it or use 'aggregation: ratio'.")
                }
            }
            if let node = reader.required("source"), let source = eventSource(node, path: "\(path).source") {
                switch source {
                case .event(let type): eventType = type
                case .sql(let text): sql = text
                }
            }
        }
        var cap: OutcomeMetric.Cap?
        if let node = reader["cap"] { cap = capping(node, path: "\(path).cap", aggregation: aggregation) }
        var start = SpecDuration(seconds: 0)
        var end: SpecDuration?
        if let retention {
            if let window = reader["window"] {
                diagnostics.error(window.location, "'\(path)' has 'retention', which is its window; remove 'window'.")
            }
            if let bounds = window(retention, path: "\(path).retention", openEnded: false) { (start, end) = bounds }
        } else if let node = reader["window"], let bounds = window(node, path: "\(path).window", openEnded: true) {
            (start, end) = bounds
        }
        guard diagnostics.errorCount == errorsBefore else { return nil }
        return OutcomeMetric(
            name: name,
            eventType: eventType,
            sql: sql,
            aggregation: aggregation,
            numerator: numerator,
            denominator: denominator,
            cap: cap,
            windowStart: start,
            windowEnd: end,
            isRetention: retention != nil
        )
    }

    /// Where a declared metric's rows come from.
    private enum Source {
        case event(String)
        case sql(String)
    }

    /// `source: {event: TYPE}` or `source: {sql: QUERY}`. Without a database only the
    /// query's shape is checked here (one non-empty statement); `abctl apply` asks
    /// PostgreSQL for its columns and types (OutcomeSQLSourceCheck).
    private func eventSource(_ node: SpecNode, path: String) -> Source? {
        guard let reader = MappingReader(node, path: path, diagnostics: diagnostics) else { return nil }
        reader.rejectUnknownKeys(allowed: ["event", "sql"])
        let given = [reader["event"], reader["sql"]].compactMap { $0 }
        guard given.count == 1 else {
            diagnostics.error(
                given.count == 2 ? given[1].location : node.location,
                "'\(path)' needs exactly one of event (an outcome event type) or sql (a query returning unit_id, timestamp, value); \(given.isEmpty ? "add one" : "remove one")."
            )
            return nil
        }
        if let value = reader["sql"] {
            guard let text = reader.string("sql") else { return nil }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let body = trimmed.hasSuffix(";") ? String(trimmed.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) : trimmed
            let head = body.prefix(6).lowercased()
            guard head == "select" || body.prefix(4).lowercased() == "with" else {
                diagnostics.error(
                    value.location,
                    "'\(path).sql' must be one SELECT query returning unit_id, timestamp and value, such as SELECT user_id AS unit_id, created_at AS timestamp, amount AS value FROM shop_orders."
                )
                return nil
            }
            return .sql(body)
        }
        guard let value = reader.required("event") else { return nil }
        guard let scalar = value.scalar, scalar.kind == .string, OutcomeEventName.isValid(scalar.text) else {
            diagnostics.error(value.location, "'\(path).event' must be an outcome event type: \(OutcomeEventName.rule).")
            return nil
        }
        return .event(scalar.text)
    }

    private func metricReference(_ node: SpecNode, path: String) -> String? {
        guard let scalar = node.scalar, scalar.kind == .string, OutcomeEventName.isValid(scalar.text) else {
            diagnostics.mismatch(node, path, "the name of a declared metric")
            return nil
        }
        return scalar.text
    }

    /// `cap: {value: 500}` or `cap: {percentile: 0.99}`, for count and sum metrics.
    private func capping(_ node: SpecNode, path: String, aggregation: OutcomeMetric.Aggregation) -> OutcomeMetric.Cap? {
        guard let reader = MappingReader(node, path: path, diagnostics: diagnostics) else { return nil }
        reader.rejectUnknownKeys(allowed: ["value", "percentile"])
        guard aggregation == .count || aggregation == .sum else {
            diagnostics.error(node.location, "'\(path)': capping applies to count and sum metrics, not \(aggregation.rawValue); remove it.")
            return nil
        }
        let given = [reader["value"], reader["percentile"]].compactMap { $0 }
        guard given.count == 1 else {
            diagnostics.error(
                given.count == 2 ? given[1].location : node.location,
                "'\(path)' needs exactly one of value (a fixed cap such as 500) or percentile (such as 0.99); \(given.isEmpty ? "add one" : "remove one")."
            )
            return nil
        }
        if let value = reader.number("value", in: 0...Double.greatestFiniteMagnitude, lowerExclusive: true) { return .value(value) }
        if let quantile = reader.number("percentile", in: 0...1, lowerExclusive: true) {
            guard quantile < 1 else {
                diagnostics.error(
                    reader["percentile"]?.location ?? node.location,
                    "'\(path).percentile' must be below 1 (0.99 caps at the 99th percentile)."
                )
                return nil
            }
            return .percentile(quantile)
        }
        return nil
    }

    /// `{from: 0d, to: 7d}` measured from first exposure; `to` may be left out (open-ended)
    /// where `openEnded`, and `window: experiment` means the whole experiment.
    private func window(_ node: SpecNode, path: String, openEnded: Bool) -> (SpecDuration, SpecDuration?)? {
        if openEnded, let scalar = node.scalar, scalar.kind == .string, scalar.text == "experiment" {
            return (SpecDuration(seconds: 0), nil)
        }
        guard let reader = MappingReader(node, path: path, diagnostics: diagnostics) else { return nil }
        reader.rejectUnknownKeys(allowed: ["from", "to"])
        let from = reader["from"] == nil ? SpecDuration(seconds: 0) : reader.duration("from", minimum: 0)
        var to: SpecDuration?
        if !openEnded || reader["to"] != nil, reader.required("to") != nil { to = reader.duration("to") }
        guard let from else { return nil }
        if !openEnded || reader["to"] != nil {
            guard let to else { return nil }
            if to.seconds <= from.seconds, let location = reader["to"]?.location {
                diagnostics.error(location, "'\(path).to' (\(to)) must be after '\(path).from' (\(from)).")
                return nil
            }
        }
        return (from, to)
    }
}
