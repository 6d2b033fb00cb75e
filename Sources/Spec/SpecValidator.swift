import Strategies

/// Validates decoded spec trees: each one on its own, then across files (layers that are
/// over-full or overlap, layers that disagree on their salt).
public struct SpecValidator: Sendable {
    public var catalog: StrategyCatalog

    public init(catalog: StrategyCatalog) {
        self.catalog = catalog
    }

    /// Validates one spec given as text (no defaults or `extends` lookups).
    public func validate(text: String, path: String) -> ValidationReport {
        SpecLoader(catalog: catalog).validate(paths: [path]) { $0 == path ? text : nil }
    }

    /// Decodes one merged tree, appending its findings.
    func decode(_ tree: SpecNode, diagnostics: Diagnostics) -> (spec: ExperimentSpec?, layer: SpecDecoder.LayerClaim?) {
        SpecDecoder(catalog: catalog, diagnostics: diagnostics).decode(tree)
    }

    /// Checks the layers claimed by all files validated together.
    func checkLayers(_ claims: [SpecDecoder.LayerClaim], diagnostics: Diagnostics) {
        for (name, group) in Dictionary(grouping: claims, by: \.layer.name) {
            let total = group.reduce(0) { $0 + $1.layer.share }
            let shares = group.sorted { $0.experiment < $1.experiment }.map { "\($0.experiment) \(percent($0.layer.share))" }.joined(separator: ", ")
            if total > 1 + 1e-9 {
                for claim in group {
                    diagnostics.error(
                        claim.location,
                        "Layer '\(name)' is over-full: its experiments take \(percent(total)) (\(shares)); lower the shares so they total at most 100%."
                    )
                }
                continue
            }
            let segments = LayerPlan.segments(group.map { (experiment: $0.experiment, layer: $0.layer) })
            for (left, right) in zip(segments, segments.dropFirst()) where left.end > right.start + 1e-12 {
                if let claim = group.first(where: { $0.experiment == right.experiment }) {
                    diagnostics.error(
                        claim.location,
                        "Experiment '\(right.experiment)' overlaps '\(left.experiment)' in layer '\(name)' (segments start at \(left.start) and \(right.start)); move its 'layer.offset' to \(left.end) or later."
                    )
                }
            }
            if let end = segments.last?.end, end > 1 + 1e-9, let last = segments.last,
                let claim = group.first(where: { $0.experiment == last.experiment }), claim.layer.offset == nil
            {
                diagnostics.error(
                    claim.location,
                    "Experiment '\(last.experiment)' ends at \(end), past the end of layer '\(name)'; lower its offset or share."
                )
            }
            let salts = Set(group.map(\.layer.salt))
            if salts.count > 1 {
                for claim in group {
                    diagnostics.error(
                        claim.location,
                        "Layer '\(name)' has different salts across experiments (\(salts.sorted().joined(separator: ", "))); give them one salt."
                    )
                }
            }
        }
    }

    /// Warns when specs validated together declare different global holdouts.
    func checkHoldouts(_ holdouts: [(holdout: HoldoutSpec, location: SourceLocation)], diagnostics: Diagnostics) {
        let distinct = holdouts.reduce(into: [HoldoutSpec]()) { if !$0.contains($1.holdout) { $0.append($1.holdout) } }
        guard distinct.count > 1 else { return }
        let list = distinct.map { "\(percent($0.share)) salted \($0.salt)" }.joined(separator: "; ")
        for location in Set(holdouts.map(\.location)) {
            diagnostics.warning(
                location,
                "Specs validated together declare different global holdouts (\(list)); a global holdout needs one share and salt, so declare it once in defaults.yaml."
            )
        }
    }

    private func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
