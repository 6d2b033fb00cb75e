/// The experiment `abctl demo` runs: three real strategies under a Thompson sampling bandit
/// on CTR, reallocated every simulated hour. Sticky: a returning user keeps the arm of their
/// first visit (new weights apply to new users), so every user is analysed in one arm.
enum DemoSpec {
    static let name = "demo-shop"

    /// The spec's YAML; `seed` makes the policy's draws reproducible.
    static func yaml(seed: UInt64) -> String {
        """
        # Written by `abctl demo`: which strategy should fill the home page carousel?
        name: \(name)
        description: Popularity against item-kNN and implicit ALS, traffic moved by Thompson sampling on CTR.
        status: running
        unit: user
        sticky: true
        arms:
          - key: popularity
            strategy: popularity
            control: true
            weight: 0.34
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
          seed: \(seed)
        metrics:
          primary: ctr
          secondary: [conversion, ndcg@10]
          k: 10
          attribution_window: 30m
        """
    }
}
