import Foundation

extension SpecDecoder {
    /// Decodes `arms:`: unique keys, at most one control, weights all given (summing to 1
    /// within 1e-9) or all absent (equal split), strategies and their parameters checked.
    func decodeArms(_ node: SpecNode) -> [ArmSpec]? {
        guard let items = node.items else {
            diagnostics.mismatch(node, "arms", "a list of arms, each with key, strategy and params")
            return nil
        }
        guard items.count >= 2 else {
            diagnostics.error(
                node.location,
                "'arms' has \(items.count) arm\(items.count == 1 ? "" : "s"); an experiment needs at least two, add another."
            )
            return nil
        }
        let errorsBefore = diagnostics.errorCount
        var arms: [ArmSpec] = []
        var weights: [(Double?, SpecNode)] = []
        var firstKey: [String: SourceLocation] = [:]
        var firstControl: (key: String, location: SourceLocation)?
        for (index, item) in items.enumerated() {
            let path = "arms[\(index)]"
            guard let reader = MappingReader(item, path: path, diagnostics: diagnostics) else { continue }
            reader.rejectUnknownKeys(allowed: ["key", "strategy", "params", "control", "weight"])
            let key = reader.identifier("key", required: true)
            if let key, let keyNode = reader["key"] {
                if let first = firstKey[key] {
                    diagnostics.error(keyNode.location, "Arm key '\(key)' is already used at line \(first.line); give each arm a unique key.")
                } else {
                    firstKey[key] = keyNode.location
                }
            }
            let isControl = reader.bool("control") ?? false
            if isControl, let controlNode = reader["control"] {
                if let first = firstControl {
                    diagnostics.error(
                        controlNode.location,
                        "More than one control arm: '\(first.key)' (line \(first.location.line)) is already the control; mark only one arm with control: true."
                    )
                } else {
                    firstControl = (key ?? path, controlNode.location)
                }
            }
            let weight = reader.number("weight", in: 0...1)
            weights.append((weight, reader["weight"] ?? item))
            let strategy = reader.string("strategy", required: true)
            let params = decodeStrategy(strategy, paramsNode: reader["params"], strategyNode: reader["strategy"], path: path)
            if let key, let strategy {
                arms.append(ArmSpec(key: key, strategy: strategy, params: params ?? [:], isControl: isControl, weight: weight ?? 0))
            }
        }
        resolveWeights(&arms, weights: weights, listNode: node)
        return diagnostics.errorCount == errorsBefore ? arms : nil
    }

    private func resolveWeights(_ arms: inout [ArmSpec], weights: [(Double?, SpecNode)], listNode: SpecNode) {
        let given = weights.filter { $0.0 != nil }
        if given.isEmpty {
            for index in arms.indices { arms[index].weight = 1 / Double(weights.count) }
            return
        }
        if given.count < weights.count, let missing = weights.firstIndex(where: { $0.0 == nil }) {
            diagnostics.error(
                weights[missing].1.location,
                "'arms[\(missing)]' has no weight while other arms do; give every arm a weight or none (equal split)."
            )
            return
        }
        let sum = given.reduce(0) { $0 + ($1.0 ?? 0) }
        if abs(sum - 1) > 1e-9 {
            diagnostics.error(
                listNode.location,
                "The arms' weights sum to \(String(format: "%.12g", sum)), not 1; change them so they add up to exactly 1."
            )
        }
    }
}
