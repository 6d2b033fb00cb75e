import Foundation

/// Measures of a whole set of recommendation lists rather than one list: how much of the catalogue
/// they reach and how strongly they lean toward popular items.
public enum CatalogueMetrics {
    /// Catalogue coverage: distinct items recommended in any list / catalogue size (0 for an empty catalogue).
    public static func coverage<Item: Hashable>(of lists: [[Item]], catalogueSize: Int) -> Double {
        guard catalogueSize > 0 else { return 0 }
        var distinct = Set<Item>()
        for list in lists { distinct.formUnion(list) }
        return Double(distinct.count) / Double(catalogueSize)
    }

    /// Mean popularity percentile of recommended items, in [0, 1]: each item's percentile is the share
    /// of catalogue items strictly less popular plus half the share equally popular (mid-rank), so a
    /// recommender of random items scores about 0.5 and one that only recommends the top seller near 1.
    /// Items missing from `popularity` count as popularity 0. Returns 0 when nothing is recommended.
    public static func meanPopularityPercentile<Item: Hashable>(of lists: [[Item]], popularity: [Item: Double]) -> Double {
        let sortedCounts = popularity.values.sorted()
        guard !sortedCounts.isEmpty else { return 0 }
        var total = 0.0
        var n = 0
        for list in lists {
            for item in list {
                let count = popularity[item] ?? 0
                let below = lowerBound(sortedCounts, count)
                let atOrBelow = upperBound(sortedCounts, count)
                total += (Double(below) + Double(atOrBelow - below) / 2) / Double(sortedCounts.count)
                n += 1
            }
        }
        return n == 0 ? 0 : total / Double(n)
    }

    /// Novelty: mean self-information −log2(p_i) of recommended items, with p_i the share of
    /// `userCount` users who interacted with item i (Zhou et al. 2010). Items no user touched are
    /// given p = 1 / (userCount + 1) so the value stays finite. Returns 0 when nothing is recommended.
    public static func novelty<Item: Hashable>(of lists: [[Item]], interactingUsers: [Item: Int], userCount: Int) -> Double {
        guard userCount > 0 else { return 0 }
        var total = 0.0
        var n = 0
        for list in lists {
            for item in list {
                let users = interactingUsers[item] ?? 0
                let p = users > 0 ? Double(users) / Double(userCount) : 1 / Double(userCount + 1)
                total += -log2(p)
                n += 1
            }
        }
        return n == 0 ? 0 : total / Double(n)
    }

    /// First index whose value is ≥ `value` in ascending `values`.
    private static func lowerBound(_ values: [Double], _ value: Double) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// First index whose value is > `value` in ascending `values`.
    private static func upperBound(_ values: [Double], _ value: Double) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
