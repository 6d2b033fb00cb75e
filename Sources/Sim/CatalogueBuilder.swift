import Foundation
import Stats

/// Builds the items: cluster centres, latent vectors, text, attributes, Zipf popularity and
/// planted successors.
struct CatalogueBuilder {
    let configuration: WorldConfiguration

    struct Catalogue {
        var items: [SimulatedItem]
        var centres: [[Double]]
        var clusterItems: [[Int]]
    }

    func build(using generator: inout SplitMix64) -> Catalogue {
        let clusters = max(configuration.clusterCount, 1)
        let dimensions = max(configuration.dimensions, 1)
        let centres = (0..<clusters).map { _ in Self.unitVector(dimensions: dimensions, using: &generator) }
        let themes = (0..<clusters).map { ItemText.theme(of: $0, using: &generator) }
        // Each cluster has a price level: a log-normal median between 8 and 150.
        let medianPrices = (0..<clusters).map { _ in exp(log(8) + generator.nextUnitDouble() * (log(150) - log(8))) }
        let brands = (0..<max(configuration.brandCount, 1)).map { ItemText.brand($0, using: &generator) }
        let popularity = zipfShares(using: &generator)

        var items: [SimulatedItem] = []
        var clusterItems = Array(repeating: [Int](), count: clusters)
        for index in 0..<configuration.itemCount {
            let cluster = Int(generator.next() % UInt64(clusters))
            let noise = configuration.itemNoise / Double(dimensions).squareRoot()
            let features = centres[cluster].map { $0 + RandomVariates.normal(mean: 0, standardDeviation: noise, using: &generator) }
            let brand = brands[Int(generator.next() % UInt64(brands.count))]
            let price = (medianPrices[cluster] * exp(RandomVariates.normal(mean: 0, standardDeviation: 0.5, using: &generator)) * 100).rounded() / 100
            items.append(
                SimulatedItem(
                    id: "i\(index + 1)",
                    title: ItemText.title(brand: brand, words: themes[cluster].words, using: &generator),
                    body: ItemText.body(words: themes[cluster].words, using: &generator),
                    category: themes[cluster].category,
                    brand: brand,
                    price: price,
                    priceBand: price < 20 ? "low" : price < 100 ? "mid" : "high",
                    cluster: cluster,
                    features: features,
                    popularity: popularity[index],
                    successors: []
                )
            )
            clusterItems[cluster].append(index)
        }
        plantSuccessors(in: &items, clusterItems: clusterItems, using: &generator)
        return Catalogue(items: items, centres: centres, clusterItems: clusterItems)
    }

    /// Zipf weights 1/r^s over a random permutation of ranks, normalised to sum to 1.
    private func zipfShares(using generator: inout SplitMix64) -> [Double] {
        var ranks = Array(1...max(configuration.itemCount, 1))
        ranks.shuffle(using: &generator)
        let weights = ranks.map { pow(Double($0), -configuration.zipfExponent) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// Each item gets distinct successors drawn by popularity from its own cluster (from the
    /// whole catalogue when the cluster is too small), never itself.
    private func plantSuccessors(in items: inout [SimulatedItem], clusterItems: [[Int]], using generator: inout SplitMix64) {
        let everything = Array(items.indices)
        for index in items.indices {
            let own = clusterItems[items[index].cluster]
            let pool = own.count > configuration.successorCount ? own : everything
            let wanted = min(configuration.successorCount, pool.count - 1)
            guard wanted > 0 else { continue }
            let sampler = WeightedSampler(weights: pool.map { $0 == index ? 0 : items[$0].popularity })
            var chosen: [Int] = []
            var attempts = 0
            while chosen.count < wanted && attempts < 1000 {
                attempts += 1
                let candidate = pool[sampler.draw(using: &generator)]
                if candidate != index && !chosen.contains(candidate) { chosen.append(candidate) }
            }
            items[index].successors = chosen
        }
    }

    static func unitVector(dimensions: Int, using generator: inout SplitMix64) -> [Double] {
        let vector = (0..<dimensions).map { _ in RandomVariates.standardNormal(using: &generator) }
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / max(length, .leastNonzeroMagnitude) }
    }
}
