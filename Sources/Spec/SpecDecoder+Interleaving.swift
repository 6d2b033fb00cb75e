extension SpecDecoder {
    /// Checks what only an interleaving experiment requires: every unit sees one list merged
    /// from all arms (Team-Draft; multileaving past two arms), so per-arm weights and a bandit
    /// have no traffic to split, and every arm must rank with a strategy of its own.
    func checkInterleaving(_ top: MappingReader, arms: [ArmSpec]?) {
        for (index, item) in (top["arms"]?.items ?? []).enumerated() {
            guard let weight = item["weight"] else { continue }
            diagnostics.error(
                weight.location,
                "'arms[\(index)].weight' does not apply to an interleaving experiment, where every unit sees all arms merged into one list; remove it."
            )
        }
        if let allocation = top["allocation"], isBandit(allocation) {
            diagnostics.error(
                (allocation["type"] ?? allocation["policy"] ?? allocation).location,
                "An interleaving experiment cannot use bandit allocation: every unit sees every arm, so there is no traffic to move; remove 'allocation' or set 'allocation.type' to fixed."
            )
        }
        guard let arms, let items = top["arms"]?.items else { return }
        for (index, (arm, item)) in zip(arms, items).enumerated() {
            guard let twin = arms[..<index].firstIndex(where: { $0.strategy == arm.strategy && $0.params == arm.params }) else { continue }
            diagnostics.warning(
                (item["strategy"] ?? item).location,
                "Arm '\(arm.key)' ranks exactly like arm '\(arms[twin].key)' (line \(items[twin].location.line)): same strategy and parameters, so interleaving them can show no preference; change its strategy or parameters."
            )
        }
    }

    /// Whether an `allocation:` node asks for a bandit (an explicit type, or a policy given).
    private func isBandit(_ allocation: SpecNode) -> Bool {
        if let type = allocation["type"]?.scalar?.text { return type == AllocationSpec.Kind.bandit.rawValue }
        return allocation["policy"] != nil
    }
}
