/// The experiment `abctl demo` runs: three real strategies under a Thompson sampling bandit
/// on CTR, reallocated every simulated hour. Sticky: a returning user keeps the arm of their
/// first visit (new weights apply to new users), so every user is analysed in one arm.
///
/// With a drift the popularity arm counts trending clicks (a half-life of one hour, fed online
/// by the feedback), and the bandit counts only the last `window` of impressions, so that it
/// can follow the arm that becomes best after the flip instead of averaging over both phases.
enum DemoSpec {
    static let name = "demo-shop"

    /// The spec's YAML; `seed` makes the policy's draws reproducible; `window` (hours) turns on
    /// the drift variant described above.
    static func yaml(seed: UInt64, window: Int? = nil) -> String {
        let popularity = window == nil ? "" : "\n    params: {half_life_hours: 1}"
        let allocationWindow = window.map { "\n  window: \($0)h" } ?? ""
        let description =
            window == nil
            ? "Popularity against item-kNN and implicit ALS, traffic moved by Thompson sampling on CTR."
            : "Trending popularity against item-kNN and implicit ALS through a preference drift, traffic moved by Thompson sampling on the last \(window ?? 0) hours of CTR."
        return """
            # Written by `abctl demo`: which strategy should fill the home page carousel?
            name: \(name)
            description: \(description)
            status: running
            unit: user
            sticky: true
            arms:
              - key: popularity
                strategy: popularity
                control: true
                weight: 0.34\(popularity)
              - key: item-knn
                strategy: item_knn
                params: {neighbours: 100}
                weight: 0.33
              - key: als
                strategy: als
                params: {factors: 32, iterations: 8}
                weight: 0.33
            allocation:
              type: bandit
              policy: thompson
              reward: ctr
              update_interval: 1h
              burn_in: 100
              min_weight: 0.05
              max_change: 0.3
              seed: \(seed)\(allocationWindow)
            metrics:
              primary: ctr
              secondary: [conversion, ndcg@10, precision@10]
              k: 10
              attribution_window: 30m
              # Business metrics on the shop's own data (docs/metrics.md): revenue per user
              # from its orders table, every order counted, not only those a list led to;
              # and whether a user came back the next day.
              guardrails:
                - {metric: revenue_per_user, max_relative_drop: 0.2}
              definitions:
                revenue_per_user:
                  source: {sql: "SELECT user_id AS unit_id, created_at AS timestamp, amount AS value FROM shop_orders"}
                  aggregation: sum
                returned_d1:
                  source: {event: session_start}
                  retention: {from: 1d, to: 2d}
            """
    }
}
