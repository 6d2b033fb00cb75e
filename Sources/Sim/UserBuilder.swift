import Foundation
import Stats

/// Builds the users: Dirichlet mixtures over clusters, taste vectors, activity and context.
struct UserBuilder {
    let configuration: WorldConfiguration
    let centres: [[Double]]

    static let countries: [(String, Double)] = [("US", 0.4), ("DE", 0.2), ("GB", 0.15), ("FR", 0.15), ("JP", 0.1)]
    static let devices: [(String, Double)] = [("mobile", 0.6), ("desktop", 0.3), ("tablet", 0.1)]

    func build(using generator: inout SplitMix64) -> [SimulatedUser] {
        let countrySampler = WeightedSampler(weights: Self.countries.map(\.1))
        let deviceSampler = WeightedSampler(weights: Self.devices.map(\.1))
        return (0..<configuration.userCount).map { index in
            let weights = mixture(using: &generator)
            var taste = Array(repeating: 0.0, count: centres.first?.count ?? 0)
            for (cluster, weight) in weights.enumerated() {
                for d in taste.indices { taste[d] += configuration.tasteScale * weight * centres[cluster][d] }
            }
            // Gamma(0.5)/0.5 has mean 1: most users are occasional, a few very active.
            let activity = RandomVariates.gamma(shape: 0.5, using: &generator) / 0.5
            return SimulatedUser(
                id: "u\(index + 1)",
                clusterWeights: weights,
                taste: taste,
                sessionsPerDay: configuration.sessionsPerUserPerDay * activity,
                country: Self.countries[countrySampler.draw(using: &generator)].0,
                device: Self.devices[deviceSampler.draw(using: &generator)].0
            )
        }
    }

    /// A Dirichlet(α, …, α) draw over the clusters from normalised Gamma(α) draws.
    private func mixture(using generator: inout SplitMix64) -> [Double] {
        let draws = centres.map { _ in RandomVariates.gamma(shape: configuration.tasteConcentration, using: &generator) }
        let total = draws.reduce(0, +)
        guard total > 0 else { return centres.map { _ in 1 / Double(centres.count) } }
        return draws.map { $0 / total }
    }
}
