/// Broken specs with their exact expected findings. Line and column are counted by hand
/// from the YAML text (both start at 1); the base spec's layout is in `BrokenSpecCase.base`.
extension BrokenSpecCase {
    static let all: [BrokenSpecCase] = topLevel + arms + strategies + metrics + allocation + targeting + syntax

    static let topLevel: [BrokenSpecCase] = [
        .init("unknown key with suggestion", base("trafic: 0.5"), "6:1: Unknown key 'trafic' in the experiment; did you mean 'traffic'?"),
        .init(
            "unknown key without suggestion",
            base("colour: blue"),
            "6:1: Unknown key 'colour' in the experiment; remove it or use one of: name, description, owner, type, unit, status, salt, schedule, traffic, layer, holdout, targeting, arms, allocation, sticky, fallback, metrics, analysis, extends."
        ),
        .init("traffic out of range", base("traffic: 1.5"), "6:10: 'traffic' must be a number from 0 to 1, not the number 1.5."),
        .init("traffic wrong type", base("traffic: all"), "6:10: 'traffic' must be a number from 0 to 1, not the string \"all\"."),
        .init("missing name", String(base().drop { $0 != "\n" }.dropFirst()), "1:1: Missing required key 'name' in the experiment; add it."),
        .init(
            "name not an identifier",
            base().replacingOccurrences(of: "name: demo", with: "name: Demo Test"),
            "1:7: 'name' must be 1 to 64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit, not \"Demo Test\"."
        ),
        .init(
            "end before start",
            base("schedule:\n  start: 2026-03-02T00:00:00Z\n  end: 2026-03-01T00:00:00Z"),
            "8:8: 'schedule.end' must be after 'schedule.start'; move the end later or the start earlier."
        ),
        .init(
            "bad timestamp",
            base("schedule: {start: next monday}"),
            "6:19: 'schedule.start' must be an ISO-8601 timestamp with a time zone such as 2026-03-01T00:00:00Z, not the string \"next monday\": expected a four-digit year."
        ),
        .init(
            "impossible date",
            base("schedule: {start: 2026-02-30T00:00:00Z}"),
            "6:19: 'schedule.start' must be an ISO-8601 timestamp with a time zone such as 2026-03-01T00:00:00Z, not the string \"2026-02-30T00:00:00Z\": February 2026 has no day 30."
        ),
        .init("unknown status", base("status: live"), "6:9: 'status' must be one of draft, running, paused, stopped, not the string \"live\"."),
        .init(
            "unknown unit with suggestion",
            base("unit: users"),
            "6:7: 'unit' must be one of user, session, not the string \"users\"; did you mean 'user'."
        ),
        .init("sticky not a boolean", base("sticky: maybe"), "6:9: 'sticky' must be true or false, not the string \"maybe\"."),
        .init("fallback names no arm", base("fallback: c"), "6:11: 'fallback' is 'c', which is not an arm; use one of: a, b."),
        .init(
            "layer share zero and no name",
            base("layer: {share: 0}"),
            "6:8: Missing required key 'layer.name' in 'layer'; add it.",
            "6:16: 'layer.share' must be a number greater than 0 to 1, not the integer 0."
        ),
        .init(
            "layer past its end",
            base("layer: {name: home, share: 0.6, offset: 0.5}"),
            "6:41: 'layer.offset' + 'layer.share' is 1.1, past the end of the layer; lower the offset to at most 0.4."
        ),
        .init("holdout of everyone", base("holdout: {share: 1}"), "6:18: 'holdout.share' must be a number from 0 to 0.999, not the integer 1."),
        .init(
            "alpha out of range",
            base("analysis: {alpha: 0.7}"),
            "6:19: 'analysis.alpha' must be a number greater than 0 to 0.5, not the number 0.7."
        ),
        .init(
            "unknown correction",
            base("analysis: {correction: bonferroni}"),
            "6:24: 'analysis.correction' must be one of holm, benjamini_hochberg, none, not the string \"bonferroni\"."
        ),
    ]

    static let arms: [BrokenSpecCase] = [
        .init(
            "weights do not sum to one",
            "name: demo\narms:\n  - {key: a, strategy: markov, weight: 0.5}\n  - {key: b, strategy: markov, weight: 0.4}\nmetrics: {primary: ctr}\n",
            "3:3: The arms' weights sum to 0.9, not 1; change them so they add up to exactly 1."
        ),
        .init(
            "weights off by more than 1e-9",
            "name: demo\narms:\n  - {key: a, strategy: markov, weight: 0.3333333}\n  - {key: b, strategy: markov, weight: 0.6666666}\nmetrics: {primary: ctr}\n",
            "3:3: The arms' weights sum to 0.9999999, not 1; change them so they add up to exactly 1."
        ),
        .init(
            "some weights missing",
            "name: demo\narms:\n  - {key: a, strategy: markov, weight: 0.5}\n  - {key: b, strategy: markov}\nmetrics: {primary: ctr}\n",
            "4:5: 'arms[1]' has no weight while other arms do; give every arm a weight or none (equal split)."
        ),
        .init(
            "two controls",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: markov, control: true}"),
            "4:41: More than one control arm: 'a' (line 3) is already the control; mark only one arm with control: true."
        ),
        .init(
            "duplicate arm keys",
            base().replacingOccurrences(of: "key: b", with: "key: a"),
            "4:11: Arm key 'a' is already used at line 3; give each arm a unique key."
        ),
        .init(
            "one arm",
            "name: demo\narms:\n  - {key: a, strategy: markov}\nmetrics: {primary: ctr}\n",
            "3:3: 'arms' has 1 arm; an experiment needs at least two, add another."
        ),
        .init(
            "arms not a list",
            "name: demo\narms: {key: a}\nmetrics: {primary: ctr}\n",
            "2:7: 'arms' must be a list of arms, each with key, strategy and params, not a mapping."
        ),
        .init(
            "arm without strategy",
            base().replacingOccurrences(of: "{key: b, strategy: markov}", with: "{key: b}"),
            "4:5: Missing required key 'arms[1].strategy' in 'arms[1]'; add it."
        ),
        .init(
            "weight above one",
            "name: demo\narms:\n  - {key: a, strategy: markov, weight: 2}\n  - {key: b, strategy: markov, weight: -1}\nmetrics: {primary: ctr}\n",
            "3:40: 'arms[0].weight' must be a number from 0 to 1, not the integer 2.",
            "4:40: 'arms[1].weight' must be a number from 0 to 1, not the integer -1."
        ),
        .init(
            "unknown arm key",
            base().replacingOccurrences(of: "{key: b, strategy: markov}", with: "{key: b, strategy: markov, wieght: 0.5}"),
            "4:32: Unknown key 'wieght' in 'arms[1]'; did you mean 'weight'?"
        ),
    ]

    static let strategies: [BrokenSpecCase] = [
        .init(
            "unknown strategy",
            base().replacingOccurrences(of: "strategy: markov", with: "strategy: markow"),
            "4:24: Unknown strategy 'markow' in 'arms[1].strategy'; did you mean 'markov'?"
        ),
        .init(
            "unknown strategy parameter",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: als, params: {factor: 8}}"),
            "4:38: Strategy 'als' has no parameter 'factor'; did you mean 'factors'?"
        ),
        .init(
            "parameter out of range",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: als, params: {factors: 0}}"),
            "4:47: 'arms[1].params.factors' must be a whole number from 1 to 1024, not the integer 0."
        ),
        .init(
            "index parameter out of range",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: als, params: {index_m: 1}}"),
            "4:47: 'arms[1].params.index_m' must be a whole number from 2 to 100, not the integer 1."
        ),
        .init(
            "index search parameter out of range",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: bpr, params: {index_ef_search: 5}}"),
            "4:55: 'arms[1].params.index_ef_search' must be a whole number from 10 to 100000, not the integer 5."
        ),
        .init(
            "parameter choice",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: item_knn, params: {similarity: euclid}}"),
            "4:55: 'arms[1].params.similarity' must be one of cosine, asymmetric_cosine, not the string \"euclid\"."
        ),
        .init(
            "unknown parameter lists the ones the strategy takes",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: markov, params: {order: 2}}"),
            "4:41: Strategy 'markov' has no parameter 'order'; it takes backoff, history_length, session_gap_minutes."
        ),
        .init(
            "hybrid without components",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: hybrid}"),
            "4:24: Strategy 'hybrid' needs parameter 'components' (The strategies combined, each with parameters and a weight.); add it under 'arms[1].params'."
        ),
        .init(
            "hybrid component with unknown strategy",
            base().replacingOccurrences(of: "strategy: markov}", with: "strategy: hybrid, params: {components: [{strategy: lstm}]}}"),
            "4:65: Unknown strategy 'lstm' in 'arms[1].params.components[0].strategy'; use one of: popularity, item_knn, content, als, bpr, markov, ease, hybrid, gru4rec, two_tower, remote."
        ),
        .init(
            "hybrid component with bad parameter",
            base().replacingOccurrences(
                of: "strategy: markov}",
                with: "strategy: hybrid, params: {components: [{strategy: als, params: {alpha: -1}}]}}"
            ),
            "4:86: 'arms[1].params.components[0].params.alpha' must be a number of at least 0, not the integer -1."
        ),
    ]

    static let metrics: [BrokenSpecCase] = [
        .init(
            "unknown metric",
            base().replacingOccurrences(of: "primary: ctr", with: "primary: ndgc@10"),
            "5:20: Unknown metric 'ndgc@10' in 'metrics.primary'; did you mean 'ndcg@10'?"
        ),
        .init(
            "K below one",
            base().replacingOccurrences(of: "primary: ctr", with: "primary: ndcg@0"),
            "5:20: K in 'ndcg@0' must be a whole number of at least 1, not '0'; write e.g. ndcg@10."
        ),
        .init(
            "metrics.k zero",
            base().replacingOccurrences(of: "primary: ctr", with: "primary: ndcg, k: 0"),
            "5:29: 'metrics.k' must be a whole number from 1 to 1000, not the integer 0."
        ),
        .init(
            "K on a metric without one",
            base().replacingOccurrences(of: "primary: ctr", with: "primary: ctr@5"),
            "5:20: Metric 'ctr' takes no @K; write 'ctr'."
        ),
        .init(
            "guardrail on undefined metric",
            base("  guardrails: [{metric: revenue, max_relative_drop: 0.1}]").replacingOccurrences(
                of: "metrics: {primary: ctr}",
                with: "metrics:\n  primary: ctr"
            ),
            "7:25: Unknown metric 'revenue' in 'metrics.guardrails[0].metric'; use one of: precision@K, recall@K, ndcg@K, mrr@K, hit@K, ctr, conversion, revenue_per_unit."
        ),
        .init(
            "guardrail with both drops",
            base().replacingOccurrences(
                of: "{primary: ctr}",
                with: "{primary: ctr, guardrails: [{metric: conversion, max_relative_drop: 0.1, max_absolute_drop: 0.01}]}"
            ),
            "5:102: Guardrail 'metrics.guardrails[0]' needs exactly one of max_relative_drop (0.05 = 5 %) or max_absolute_drop; remove one."
        ),
        .init(
            "guardrail without a drop",
            base().replacingOccurrences(of: "{primary: ctr}", with: "{primary: ctr, guardrails: [{metric: conversion}]}"),
            "5:38: Guardrail 'metrics.guardrails[0]' needs exactly one of max_relative_drop (0.05 = 5 %) or max_absolute_drop; add one."
        ),
        .init(
            "bad attribution window",
            base().replacingOccurrences(of: "{primary: ctr}", with: "{primary: ctr, attribution_window: 10 minutes}"),
            "5:45: 'metrics.attribution_window' must be a positive duration such as 30s, 15m, 1h, 7d or 1h30m, not the string \"10 minutes\"."
        ),
        .init(
            "unknown gain event",
            base().replacingOccurrences(of: "{primary: ctr}", with: "{primary: ctr, gains: {purchse: 5}}"),
            "5:33: Unknown key 'purchse' in 'metrics.gains'; did you mean 'purchase'?"
        ),
        .init(
            "missing metrics",
            "name: demo\narms:\n  - {key: a, strategy: markov}\n  - {key: b, strategy: markov}\n",
            "1:1: Missing required key 'metrics' in the experiment; add it."
        ),
    ]

    static let allocation: [BrokenSpecCase] = [
        .init(
            "reward not among metrics",
            base("allocation: {policy: thompson, reward: conversion}"),
            "6:40: The bandit reward 'conversion' is not among the experiment's metrics (ctr); add it to 'metrics.secondary' or reward one of them."
        ),
        .init(
            "parameter of another policy",
            base("allocation: {policy: thompson, reward: ctr, epsilon: 0.1}"),
            "6:45: 'allocation.epsilon' is not a parameter of policy thompson; it takes prior_alpha, prior_beta."
        ),
        .init(
            "epsilon out of range",
            base("allocation: {policy: epsilon_greedy, reward: ctr, epsilon: 1.5}"),
            "6:60: 'allocation.epsilon' must be a number from 0 to 1, not the number 1.5."
        ),
        .init(
            "linucb without features",
            base("allocation: {policy: linucb, reward: ctr}"),
            "6:13: Policy linucb needs 'allocation.features' (Context attributes used as features (a list of names).); add it."
        ),
        .init(
            "a feature listed twice",
            base("allocation: {policy: linucb, reward: ctr, features: [a, a]}"),
            "6:57: The feature 'a' is listed twice; remove one."
        ),
        .init(
            "a category without its value",
            base("allocation: {policy: linucb, reward: ctr, features: [device=]}"),
            "6:54: The feature 'device=' must be an attribute name, or attribute=value for one category; fix it."
        ),
        .init(
            "an attribute both numeric and categorical",
            base("allocation: {policy: linucb, reward: ctr, features: [device, device=mobile]}"),
            "6:62: The attribute 'device' is listed both as a number and as a category; use one encoding."
        ),
        .init(
            "fixed allocation with a reward",
            base("allocation: {type: fixed, reward: ctr}"),
            "6:27: 'allocation.reward' applies only to bandit allocation; remove it or set 'allocation.type' to bandit."
        ),
        .init(
            "unknown policy",
            base("allocation: {policy: thomson, reward: ctr}"),
            "6:22: 'allocation.policy' must be one of thompson, top_two_thompson, ucb1, ucb_tuned, epsilon_greedy, softmax, linucb, linear_thompson, not the string \"thomson\"; did you mean 'thompson'."
        ),
        .init(
            "min weight above 1/arms",
            base("allocation: {policy: ucb1, reward: ctr, min_weight: 0.6}"),
            "6:53: 'allocation.min_weight' must be a number from 0 to 0.5, not the number 0.6."
        ),
        .init(
            "softmax temperature 0",
            base("allocation: {policy: softmax, reward: ctr, temperature: 0}"),
            "6:57: 'allocation.temperature' must be a number greater than 0, not the integer 0."
        ),
        .init(
            "linear Thompson posterior scale 0",
            base("allocation: {policy: linear_thompson, reward: ctr, features: [a], posterior_scale: 0}"),
            "6:84: 'allocation.posterior_scale' must be a number greater than 0, not the integer 0."
        ),
        .init(
            "control share without control",
            base("allocation: {policy: softmax, reward: ctr, control_share: 0.2}").replacingOccurrences(of: ", control: true", with: ""),
            "6:59: 'allocation.control_share' reserves traffic for a control, but no arm has control: true; mark one arm as control."
        ),
        .init(
            "bad update interval",
            base("allocation: {policy: ucb_tuned, reward: ctr, update_interval: 1x}"),
            "6:63: 'allocation.update_interval' must be a positive duration such as 30s, 15m, 1h, 7d or 1h30m, not the string \"1x\"."
        ),
        .init(
            "bandit without policy",
            base("allocation: {type: bandit, reward: ctr}"),
            "6:13: Missing required key 'allocation.policy' in 'allocation'; add it."
        ),
        // allocation.window: columns counted from "allocation: {" (13 characters) on line 6.
        .init(
            "window shorter than the default update interval",
            base("allocation: {policy: thompson, reward: ctr, window: 30m}"),
            "6:53: 'allocation.window' (30m) is shorter than 'allocation.update_interval' (1h), so some impressions would never be counted; make the window at least the update interval."
        ),
        .init(
            "window shorter than the given update interval",
            base("allocation: {policy: thompson, reward: ctr, update_interval: 2h, window: 1h}"),
            "6:74: 'allocation.window' (1h) is shorter than 'allocation.update_interval' (2h), so some impressions would never be counted; make the window at least the update interval."
        ),
        .init(
            "window not a duration",
            base("allocation: {policy: thompson, reward: ctr, window: 6 hours}"),
            "6:53: 'allocation.window' must be a positive duration such as 30s, 15m, 1h, 7d or 1h30m, not the string \"6 hours\"."
        ),
        .init(
            "window misspelt",
            base("allocation: {policy: thompson, reward: ctr, windw: 6h}"),
            "6:45: Unknown key 'windw' in 'allocation'; did you mean 'window'?"
        ),
        .init(
            "window on fixed allocation",
            base("allocation: {type: fixed, window: 6h}"),
            "6:27: 'allocation.window' applies only to bandit allocation; remove it or set 'allocation.type' to bandit."
        ),
    ]

    static let targeting: [BrokenSpecCase] = [
        .init(
            "bad regex",
            base("targeting: {attribute: app, regex: \"([0-9\"}"),
            "6:36: 'targeting.regex' is not a valid regular expression (expected ']'); fix the pattern."
        ),
        .init(
            "condition without a test",
            base("targeting: {attribute: country}"),
            "6:12: Condition on 'country' has no test; add one of: equals, in, gt, gte, lt, lte, regex, exists."
        ),
        .init(
            "condition with two tests",
            base("targeting: {attribute: country, equals: DE, in: [AT]}"),
            "6:12: Condition on 'country' has several tests (equals, in); keep one, or combine conditions with all."
        ),
        .init(
            "impossible range",
            base("targeting: {attribute: age, gt: 10, lt: 5}"),
            "6:12: Condition on 'age' can never match: the lower bound 10 is not below the upper bound 5; swap or fix the bounds."
        ),
        .init(
            "range bound not a number",
            base("targeting:\n  all:\n    - {attribute: age, gte: adult}"),
            "8:29: 'targeting.all[0].gte' must be a number, not the string \"adult\"."
        ),
        .init(
            "unknown operator",
            base("targeting: {attribute: country, equal: DE}"),
            "6:12: Condition on 'country' has no test; add one of: equals, in, gt, gte, lt, lte, regex, exists.",
            "6:33: Unknown key 'equal' in 'targeting'; did you mean 'equals'?"
        ),
        .init(
            "empty in list",
            base("targeting: {any: [{attribute: country, in: []}]}"),
            "6:44: 'targeting.any[0].in' must be a non-empty list of values, not a list."
        ),
    ]

    static let syntax: [BrokenSpecCase] = [
        .init(
            "YAML syntax error",
            "name: demo\narms: [a, b\nmetrics: {primary: ctr}\n",
            "3:8: The YAML cannot be read: did not find expected ',' or ']'; fix the syntax here."
        ),
        .init("duplicate key", base("name: again"), "1:1: The key 'name' appears twice in one mapping; keep one of them."),
        .init(
            "merge key onto a scalar",
            "base: &b 3\nname: demo\n<<: *b\narms:\n  - {key: a, strategy: markov}\n  - {key: b, strategy: markov}\nmetrics: {primary: ctr}\n",
            "1:1: Unknown key 'base' in the experiment; remove it or use one of: name, description, owner, type, unit, status, salt, schedule, traffic, layer, holdout, targeting, arms, allocation, sticky, fallback, metrics, analysis, extends.",
            "1:7: A merge key '<<' takes a mapping or a list of mappings, not the integer 3; point it at an anchored mapping such as *base."
        ),
    ]
}
