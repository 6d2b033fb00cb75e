extension SpecDecoder {
    private static let banditKeys = [
        "type", "policy", "reward", "update_interval", "burn_in", "min_weight", "max_change", "control_share", "seed", "window",
    ]

    /// Decodes `allocation:`; fixed by default, a bandit when `type: bandit` or a `policy` is given.
    func decodeAllocation(_ top: MappingReader, arms: [ArmSpec]?, metrics: MetricsSpec?) -> AllocationSpec? {
        guard let node = top["allocation"] else { return .fixed }
        guard let reader = MappingReader(node, path: "allocation", diagnostics: diagnostics) else { return nil }
        let type = reader.choice("type", as: AllocationSpec.Kind.self) ?? (reader["policy"] == nil ? .fixed : .bandit)
        guard type == .bandit else {
            reader.rejectUnknownKeys(allowed: ["type"]) { key in
                Self.banditKeys.contains(key)
                    ? "'allocation.\(key)' applies only to bandit allocation; remove it or set 'allocation.type' to bandit." : nil
            }
            return .fixed
        }
        let errorsBefore = diagnostics.errorCount
        let policy = reader.required("policy").flatMap { _ in reader.choice("policy", as: BanditPolicyName.self) }
        let policyParameters = policy?.parameters ?? []
        reader.rejectUnknownKeys(allowed: Self.banditKeys + policyParameters.map(\.name)) { key in
            guard let policy, BanditPolicyName.allCases.contains(where: { $0.parameters.contains { $0.name == key } }) else { return nil }
            let takes = policyParameters.isEmpty ? "it takes none" : "it takes \(policyParameters.map(\.name).joined(separator: ", "))"
            return "'allocation.\(key)' is not a parameter of policy \(policy.rawValue); \(takes)."
        }
        let rewardNode = reader.required("reward")
        var reward: MetricName?
        if let rewardNode, let text = rewardNode.scalar?.text, metrics?.definition(named: text) != nil {
            // Not built yet: the allocator reads the built-in maintained aggregates only.
            diagnostics.error(
                rewardNode.location,
                "'allocation.reward' names the declared metric '\(text)'; a bandit's reward must be a built-in metric for now (docs/metrics.md)."
            )
        } else {
            reward = rewardNode.flatMap { metric($0, path: "allocation.reward", k: metrics?.k ?? 10) }
        }
        if let reward, let metrics, !metrics.all.contains(reward), let rewardNode = reader["reward"] {
            diagnostics.error(
                rewardNode.location,
                "The bandit reward '\(reward)' is not among the experiment's metrics (\(metrics.all.map(\.description).joined(separator: ", "))); add it to 'metrics.secondary' or reward one of them."
            )
        }
        let armCount = Double(max(arms?.count ?? 2, 1))
        let givenInterval = reader.duration("update_interval", minimum: 60)
        let updateInterval = givenInterval ?? SpecDuration(seconds: 3600)
        let burnIn = reader.integer("burn_in", in: 0...10_000_000) ?? 100
        let minWeight = reader.number("min_weight", in: 0...(1 / armCount)) ?? 0.01
        let maxChange = reader.number("max_change", in: 0...1, lowerExclusive: true) ?? 1
        let controlShare = reader.number("control_share", in: 0...1) ?? 0
        let seed = reader.integer("seed", in: 0...Int.max) ?? 0
        let window = reader.duration("window", minimum: 60)
        // Compared only with an interval that was given validly or left at its default.
        let intervalIsKnown = givenInterval != nil || reader["update_interval"] == nil
        if let window, intervalIsKnown, window.seconds < updateInterval.seconds, let windowNode = reader["window"] {
            diagnostics.error(
                windowNode.location,
                "'allocation.window' (\(window)) is shorter than 'allocation.update_interval' (\(updateInterval)), so some impressions would never be counted; make the window at least the update interval."
            )
        }
        if controlShare > 0, let arms, !arms.contains(where: \.isControl), let shareNode = reader["control_share"] {
            diagnostics.error(
                shareNode.location,
                "'allocation.control_share' reserves traffic for a control, but no arm has control: true; mark one arm as control."
            )
        }
        if controlShare + minWeight * (armCount - 1) > 1 + 1e-9, let shareNode = reader["control_share"] {
            diagnostics.error(shareNode.location, "'allocation.control_share' plus min_weight for the other arms exceeds 1; lower one of them.")
        }
        var params: [String: ParameterValue] = [:]
        for parameter in policyParameters {
            guard let value = reader[parameter.name] else {
                if parameter.isRequired, let policy {
                    diagnostics.error(
                        reader.node.location,
                        "Policy \(policy.rawValue) needs 'allocation.\(parameter.name)' (\(parameter.summary)); add it."
                    )
                }
                continue
            }
            let decoded = parameter.name == "features" ? features(value) : decodeParameter(value, parameter, path: "allocation.\(parameter.name)")
            // Priors, temperature and the posterior scale divide or take logs: 0 cannot run.
            if Self.strictlyPositive.contains(parameter.name), let number = decoded?.number, number <= 0 {
                diagnostics.mismatch(value, "allocation.\(parameter.name)", "a number greater than 0")
                continue
            }
            if let decoded { params[parameter.name] = decoded }
        }
        if let policy, policy.isContextual, let reward, reward.kind == .recall, let rewardNode = reader["reward"] {
            diagnostics.error(
                rewardNode.location,
                "Policy \(policy.rawValue) learns from each decision's logged reward, and \(reward) is not logged online (it needs every relevant item); reward a metric such as ctr, conversion or ndcg@k."
            )
        }
        guard diagnostics.errorCount == errorsBefore, let policy, let reward else { return nil }
        let bandit = BanditSpec(
            policy: policy,
            reward: reward,
            updateInterval: updateInterval,
            burnIn: burnIn,
            minWeight: minWeight,
            maxChange: maxChange,
            controlShare: controlShare,
            seed: UInt64(seed),
            window: window,
            params: params
        )
        return AllocationSpec(type: .bandit, bandit: bandit)
    }

    /// Policy parameters whose range excludes 0 (`BanditPolicyName.parameters` says "must be > 0").
    static let strictlyPositive: Set<String> = ["prior_alpha", "prior_beta", "temperature", "posterior_scale", "top_two_probability"]

    /// Context features: a non-empty list of distinct entries, each a numeric attribute's name
    /// (`tenure_days`) or one category of a one-hot attribute (`device=mobile`); at most 255,
    /// since the model adds an intercept and holds at most 256 dimensions.
    private func features(_ node: SpecNode) -> ParameterValue? {
        guard let items = node.items, !items.isEmpty, items.count <= 255,
            items.allSatisfy({ $0.scalar?.kind == .string && !($0.scalar?.text.isEmpty ?? true) })
        else {
            diagnostics.mismatch(
                node,
                "allocation.features",
                "a non-empty list of at most 255 context attribute names (numeric) or attribute=value categories (one-hot)"
            )
            return nil
        }
        var seen: Set<String> = []
        var numeric: Set<Substring> = []
        var categorical: Set<Substring> = []
        for item in items {
            guard let text = item.scalar?.text else { continue }
            if let equals = text.firstIndex(of: "=") {
                let attribute = text[..<equals]
                let value = text[text.index(after: equals)...]
                if attribute.isEmpty || value.isEmpty || value.contains("=") {
                    diagnostics.error(item.location, "The feature '\(text)' must be an attribute name, or attribute=value for one category; fix it.")
                    return nil
                }
                categorical.insert(attribute)
            } else {
                numeric.insert(text[...])
            }
            if let both = numeric.intersection(categorical).first {
                diagnostics.error(item.location, "The attribute '\(both)' is listed both as a number and as a category; use one encoding.")
                return nil
            }
            if !seen.insert(text).inserted {
                diagnostics.error(item.location, "The feature '\(text)' is listed twice; remove one.")
                return nil
            }
        }
        return .list(items.compactMap { $0.scalar.map { .text($0.text) } })
    }
}
