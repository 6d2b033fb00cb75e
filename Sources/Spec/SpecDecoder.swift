import Foundation
import Strategies

/// Turns a merged YAML tree into an `ExperimentSpec`, reporting every problem it finds with
/// its location. The result is nil when any error was found.
struct SpecDecoder {
    let catalog: StrategyCatalog
    let diagnostics: Diagnostics

    /// Top-level keys of a spec.
    static let topLevelKeys = [
        "name", "description", "owner", "type", "unit", "status", "salt", "schedule", "traffic", "layer", "holdout",
        "targeting", "arms", "allocation", "sticky", "fallback", "metrics", "analysis", "extends",
    ]

    /// What the decoder learnt about a spec's layer, for checks across files.
    struct LayerClaim {
        var experiment: String
        var layer: LayerSpec
        var location: SourceLocation
    }

    /// The decoded spec (nil on any error) and its layer claim (even when other parts failed).
    func decode(_ root: SpecNode) -> (spec: ExperimentSpec?, layer: LayerClaim?) {
        let errorsBefore = diagnostics.errorCount
        guard let top = MappingReader(root, path: "", diagnostics: diagnostics) else { return (nil, nil) }
        top.rejectUnknownKeys(allowed: Self.topLevelKeys)

        let name = top.identifier("name", required: true)
        let description = top.string("description") ?? ""
        let owner = top.string("owner")
        let type = top.choice("type", as: ExperimentType.self) ?? .ab
        let unit = top.choice("unit", as: RandomizationUnit.self) ?? .user
        let status = top.choice("status", as: ExperimentStatus.self) ?? .draft
        let salt = top.string("salt")
        if let salt, salt.isEmpty, let node = top["salt"] {
            diagnostics.error(node.location, "'salt' must not be empty; remove it to use the experiment name.")
        }
        let schedule = decodeSchedule(top)
        let traffic = top.number("traffic", in: 0...1) ?? 1
        let layer = decodeLayer(top)
        let holdout = decodeHoldout(top)
        let targeting = top["targeting"].flatMap { decodeRule($0, path: "targeting") }
        let metrics = top.required("metrics").flatMap { decodeMetrics($0) }
        let arms = top.required("arms").flatMap { decodeArms($0) }
        let allocation = decodeAllocation(top, arms: arms, metrics: metrics)
        let sticky = top.bool("sticky") ?? true
        let fallback = decodeFallback(top, arms: arms)
        let analysis = decodeAnalysis(top)
        if type == .interleaving { checkInterleaving(top, arms: arms) }

        let claim = both(name, layer).map { LayerClaim(experiment: $0, layer: $1, location: top["layer"]?.location ?? root.location) }
        guard diagnostics.errorCount == errorsBefore, let name, let arms, let metrics, let allocation else { return (nil, claim) }
        let spec = ExperimentSpec(
            name: name,
            description: description,
            owner: owner,
            type: type,
            unit: unit,
            status: status,
            salt: salt,
            schedule: schedule,
            traffic: traffic,
            layer: layer,
            holdout: holdout,
            targeting: targeting,
            arms: arms,
            allocation: allocation,
            sticky: sticky,
            fallback: fallback,
            metrics: metrics,
            analysis: analysis
        )
        return (spec, claim)
    }

    private func decodeSchedule(_ top: MappingReader) -> Schedule {
        guard let node = top["schedule"], let reader = MappingReader(node, path: "schedule", diagnostics: diagnostics) else { return Schedule() }
        reader.rejectUnknownKeys(allowed: ["start", "end"])
        let start = timestamp(reader, "start")
        let end = timestamp(reader, "end")
        if let start, let end, end <= start, let endNode = reader["end"] {
            diagnostics.error(endNode.location, "'schedule.end' must be after 'schedule.start'; move the end later or the start earlier.")
        }
        return Schedule(start: start, end: end)
    }

    private func timestamp(_ reader: MappingReader, _ key: String) -> Date? {
        guard let node = reader[key] else { return nil }
        let expectation = "an ISO-8601 timestamp with a time zone such as 2026-03-01T00:00:00Z"
        guard let scalar = node.scalar else {
            diagnostics.mismatch(node, reader.path(of: key), expectation)
            return nil
        }
        switch RFC3339.parse(scalar.text) {
        case .success(let date): return date
        case .failure(let problem):
            diagnostics.error(node.location, "'\(reader.path(of: key))' must be \(expectation), not \(node.kindPhrase): \(problem).")
            return nil
        }
    }

    private func decodeLayer(_ top: MappingReader) -> LayerSpec? {
        guard let node = top["layer"], let reader = MappingReader(node, path: "layer", diagnostics: diagnostics) else { return nil }
        reader.rejectUnknownKeys(allowed: ["name", "share", "offset", "salt"])
        let name = reader.identifier("name", required: true)
        let share = reader.number("share", required: true, in: 0...1, lowerExclusive: true)
        let offset = reader.number("offset", in: 0...1)
        let salt = reader.string("salt")
        if let share, let offset, offset + share > 1 + 1e-9, let offsetNode = reader["offset"] {
            diagnostics.error(
                offsetNode.location,
                "'layer.offset' + 'layer.share' is \(offset + share), past the end of the layer; lower the offset to at most \(MappingReader.format(1 - share))."
            )
        }
        guard let name, let share else { return nil }
        return LayerSpec(name: name, share: share, offset: offset, salt: salt)
    }

    private func decodeHoldout(_ top: MappingReader) -> HoldoutSpec? {
        guard let node = top["holdout"], let reader = MappingReader(node, path: "holdout", diagnostics: diagnostics) else { return nil }
        reader.rejectUnknownKeys(allowed: ["share", "salt"])
        let share = reader.number("share", required: true, in: 0...0.999)
        let salt = reader.string("salt") ?? HoldoutSpec.defaultSalt
        return share.map { HoldoutSpec(share: $0, salt: salt) }
    }

    private func decodeFallback(_ top: MappingReader, arms: [ArmSpec]?) -> String? {
        guard let fallback = top.string("fallback") else { return arms?.first { $0.isControl }?.key }
        if let arms, !arms.contains(where: { $0.key == fallback }), let node = top["fallback"] {
            diagnostics.error(
                node.location,
                "'fallback' is '\(fallback)', which is not an arm; use one of: \(arms.map(\.key).joined(separator: ", "))."
            )
        }
        return fallback
    }

    private func decodeAnalysis(_ top: MappingReader) -> AnalysisSpec {
        guard let node = top["analysis"], let reader = MappingReader(node, path: "analysis", diagnostics: diagnostics) else { return AnalysisSpec() }
        reader.rejectUnknownKeys(allowed: ["alpha", "sequential", "correction", "cuped"])
        return AnalysisSpec(
            alpha: reader.number("alpha", in: 0...0.5, lowerExclusive: true) ?? 0.05,
            sequential: reader.bool("sequential") ?? true,
            correction: reader.choice("correction", as: AnalysisSpec.Correction.self) ?? .holm,
            cuped: reader.identifier("cuped")
        )
    }
}

/// Both values when neither is nil.
func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
