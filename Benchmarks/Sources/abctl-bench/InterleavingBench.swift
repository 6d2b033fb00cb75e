import Foundation
import Metrics
import Sim
import Stats

/// Issue 10, acceptance 2: how many units Team-Draft interleaving needs to detect a planted
/// preference between two rankers with 80% power at α = 0.05, against an A/B test of the same two
/// rankers on CTR, both by repeated simulation on Sim's world.
///
/// Rankers: A shows each user's ideal top 10 (`World.idealRanking`: the items of highest click
/// probability, best first). B, the planted worse ranker, is chosen by KIND:
/// - `noise` (default): B ranks every item by its true click logit plus Gaussian noise of standard
///   deviation NOISE (default 1.0), seeded per user: a ranker that knows the user less well;
/// - `reorder`: B shows A's ten items, ordered by click logit plus Gaussian noise of standard
///   deviation NOISE (seeded per user): the same candidates, ranked worse;
/// - `replace`: B is A with every position replaced, with probability PLANT (default 0.3), by a
///   uniformly random catalogue item (seeded per user).
/// Clicks follow CLICKS: `position` (default), the world's position-based model, each position
/// clicked independently with probability examination(i) · P(click | examined); or `cascade`
/// (Craswell et al. 2008), the user reads down the list, clicks the first item that attracts
/// them (probability P(click | examined)) and stops. One impression per unit. Interleaving:
/// Team-Draft list of A and B, clicks credited to the contributing ranker, per-unit preference =
/// sign(credit A − credit B), exact sign test over non-tied units. A/B: units split alternately,
/// and three outcomes per unit, each with its own test on the same simulated units:
/// - `any-click`: the impression got a click (CTR per impression), two-proportion z test;
/// - `clicks`: the number of clicks on the impression, two-sample z test on the means;
/// - `rr`: the reciprocal rank of the first click (0 without a click), two-sample z test on the
///   means. Unlike the first two, it responds to the order of the same items under either model.
/// Power at each unit count = share of REPS (default 200) seeded simulations with p < 0.05; the
/// 80% point is interpolated on log(units) between the bracketing counts of a geometric grid
/// (factor GRID, default 2). A design that has not reached 80% by MAX_UNITS (default 819,200)
/// units is reported as not reached (under the cascade model a reorder leaves P(any click), a
/// function of the set of items alone, unchanged, so `any-click` never gets there).
enum InterleavingBench {
    struct UserLists {
        var a: [Int]
        var b: [Int]
        /// P(click | examined) per item index of a ∪ b.
        var click: [Int: Double]
    }

    /// How simulated users click (CLICKS).
    enum ClickModel: String {
        case position, cascade
    }

    /// The A/B outcomes, in output order.
    static let abMetrics = ["any-click", "clicks", "rr"]

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let model = ClickModel(rawValue: environment["CLICKS"] ?? "position") ?? .position
        let maxUnits = Int(environment["MAX_UNITS"] ?? "") ?? 819_200
        let plant = Double(environment["PLANT"] ?? "") ?? 0.3
        let noise = Double(environment["NOISE"] ?? "") ?? 1.0
        let kind = environment["KIND"] ?? "noise"
        let repetitions = Int(environment["REPS"] ?? "") ?? 200
        let world = World(WorldConfiguration(seed: 11))
        let time = Date(timeIntervalSince1970: 1_767_225_600)
        let examination = (1...10).map { world.examinationProbability(position: $0) }
        let lists =
            kind == "replace"
            ? buildLists(world: world, time: time, plant: plant)
            : buildNoisyLists(world: world, time: time, noise: noise, sameItems: kind == "reorder")
        let ctrA = lists.map { clickedShare($0.a, $0.click, examination, model: model) }.reduce(0, +) / Double(lists.count)
        let ctrB = lists.map { clickedShare($0.b, $0.click, examination, model: model) }.reduce(0, +) / Double(lists.count)
        print("click model: \(model.rawValue)")
        switch kind {
        case "replace": print("B = A with positions replaced by random items, probability \(plant)")
        case "reorder": print("B = A's items ordered by click logit + N(0, \(noise)²)")
        default: print("B = all items ranked by click logit + N(0, \(noise)²)")
        }
        print(
            String(
                format: "P(impression clicked) A = %.4f, B = %.4f (relative lift of A %.1f%%), %d users, %d simulations per unit count",
                ctrA,
                ctrB,
                (ctrA / ctrB - 1) * 100,
                lists.count,
                repetitions
            )
        )

        var interleavingPower: [(Int, Double)] = []
        var abPower: [[(Int, Double)]] = abMetrics.map { _ in [] }
        let start = Date()
        // Unit counts grow geometrically by GRID (default 2) from 25.
        let growth = max(Double(environment["GRID"] ?? "") ?? 2, 1.05)
        var exactUnits = 25.0
        var units = 25
        func reached(_ curve: [(Int, Double)]) -> Bool { (curve.last?.1 ?? 0) >= 0.8 }
        while units <= maxUnits && (!reached(interleavingPower) || !abPower.allSatisfy(reached)) {
            if !reached(interleavingPower) || interleavingPower.count < 2 {
                let power = simulatePower(repetitions: repetitions, seed: UInt64(units)) { generator in
                    interleavingPValue(units: units, lists: lists, examination: examination, model: model, using: &generator)
                }
                interleavingPower.append((units, power))
            }
            if !abPower.allSatisfy(reached) {
                let powers = simulateABPower(repetitions: repetitions, seed: UInt64(units) &+ 1_000_003) { generator in
                    abPValues(units: units, lists: lists, examination: examination, model: model, using: &generator)
                }
                for index in abMetrics.indices where !reached(abPower[index]) { abPower[index].append((units, powers[index])) }
            }
            let abText = abMetrics.indices.map { "\(abMetrics[$0]) \(abPower[$0].last.map { String(format: "%.3f", $0.1) } ?? "-")" }
            print(
                "units \(units): power interleaving \(interleavingPower.last.map { String(format: "%.3f", $0.1) } ?? "-"), A/B \(abText.joined(separator: ", "))"
            )
            exactUnits *= growth
            units = Int(exactUnits.rounded())
        }
        guard let interleavingUnits = unitsFor80(interleavingPower) else {
            print("interleaving did not reach 80% power within \(maxUnits) units")
            return
        }
        print(String(format: "units for 80%% power: interleaving %.0f (%.0f s)", interleavingUnits, Date().timeIntervalSince(start)))
        for (index, name) in abMetrics.enumerated() {
            if let abUnits = unitsFor80(abPower[index]) {
                print(String(format: "  A/B on %@: %.0f units, ratio A/B / interleaving = %.1f", name, abUnits, abUnits / interleavingUnits))
            } else {
                print(
                    "  A/B on \(name): 80% power not reached within \(maxUnits) units (power \(abPower[index].last.map { String(format: "%.3f", $0.1) } ?? "-"))"
                )
            }
        }
    }

    /// Per user: A's ideal top 10 and B, the plant applied with a generator seeded by the user.
    static func buildLists(world: World, time: Date, plant: Double) -> [UserLists] {
        world.users.indices.map { user in
            let unit = world.users[user].id
            let a = world.idealRanking(for: unit, at: time, count: 10).compactMap { world.itemIndex(of: $0) }
            var generator = SplitMix64(seed: 99 &+ UInt64(user))
            var used = Set(a)
            let b = a.map { item -> Int in
                guard generator.nextUnitDouble() < plant else { return item }
                var replacement = Int(generator.next(upperBound: UInt64(world.items.count)))
                while used.contains(replacement) { replacement = Int(generator.next(upperBound: UInt64(world.items.count))) }
                used.insert(replacement)
                return replacement
            }
            var click: [Int: Double] = [:]
            for item in Set(a + b) { click[item] = world.clickProbability(unit: unit, item: item, at: time) }
            return UserLists(a: a, b: b, click: click)
        }
    }

    /// Per user: A's ideal top 10 and B's top 10 by click logit plus N(0, noise²), seeded per user,
    /// over every item or (`sameItems`) over A's ten.
    static func buildNoisyLists(world: World, time: Date, noise: Double, sameItems: Bool) -> [UserLists] {
        world.users.indices.map { user in
            let unit = world.users[user].id
            var generator = SplitMix64(seed: 77 &+ UInt64(user))
            var probabilities: [Double] = []
            var noisy: [(Int, Double)] = []
            for item in world.items.indices {
                let p = world.clickProbability(unit: unit, item: item, at: time)
                probabilities.append(p)
                noisy.append((item, log(p / (1 - p)) + noise * RandomVariates.standardNormal(using: &generator)))
            }
            let a = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
                .prefix(10)
            let pool = sameItems ? a.map { noisy[$0] } : noisy
            let b = pool.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(10).map(\.0)
            var click: [Int: Double] = [:]
            for item in Set(a).union(b) { click[item] = probabilities[item] }
            return UserLists(a: Array(a), b: b, click: click)
        }
    }

    /// P(at least one click) on `list`: 1 − Π(1 − e_i·c_i) under the position model, 1 − Π(1 − c_i)
    /// under the cascade model (which does not depend on the order).
    static func clickedShare(_ list: [Int], _ click: [Int: Double], _ examination: [Double], model: ClickModel) -> Double {
        1
            - list.enumerated().reduce(1.0) {
                $0 * (1 - (model == .position ? examination[$1.offset] : 1) * (click[$1.element] ?? 0))
            }
    }

    /// The 0-based positions of `list` that one simulated user clicks under `model`.
    static func simulateClicks(
        _ list: [Int],
        _ click: [Int: Double],
        _ examination: [Double],
        model: ClickModel,
        into clicked: inout [Int],
        using generator: inout SplitMix64
    ) {
        clicked.removeAll(keepingCapacity: true)
        switch model {
        case .position:
            for (position, item) in list.enumerated() where generator.nextUnitDouble() < examination[position] * (click[item] ?? 0) {
                clicked.append(position)
            }
        case .cascade:
            for (position, item) in list.enumerated() where generator.nextUnitDouble() < (click[item] ?? 0) {
                clicked.append(position)
                return
            }
        }
    }

    /// Share of `repetitions` simulations whose p-value is below 0.05.
    static func simulatePower(repetitions: Int, seed: UInt64, _ pValue: (inout SplitMix64) -> Double) -> Double {
        var generator = SplitMix64(seed: seed)
        var significant = 0
        for _ in 0..<repetitions where pValue(&generator) < 0.05 { significant += 1 }
        return Double(significant) / Double(repetitions)
    }

    /// For each of several tests run on the same simulations, the share with p < 0.05.
    static func simulateABPower(repetitions: Int, seed: UInt64, _ pValues: (inout SplitMix64) -> [Double]) -> [Double] {
        var generator = SplitMix64(seed: seed)
        var significant = abMetrics.map { _ in 0 }
        for _ in 0..<repetitions {
            for (index, p) in pValues(&generator).enumerated() where p < 0.05 { significant[index] += 1 }
        }
        return significant.map { Double($0) / Double(repetitions) }
    }

    static func interleavingPValue(
        units: Int,
        lists: [UserLists],
        examination: [Double],
        model: ClickModel,
        using generator: inout SplitMix64
    ) -> Double {
        var wins = 0
        var losses = 0
        var clicked: [Int] = []
        for _ in 0..<units {
            let user = lists[Int(generator.next(upperBound: UInt64(lists.count)))]
            let list = TeamDraft.interleave(user.a, user.b, length: 10, using: &generator)
            simulateClicks(list.items, user.click, examination, model: model, into: &clicked, using: &generator)
            guard !clicked.isEmpty else { continue }
            let credit = list.credit(clickedPositions: clicked)
            if credit[0] > credit[1] { wins += 1 } else if credit[1] > credit[0] { losses += 1 }
        }
        return PairwisePreference(wins: wins, losses: losses, ties: units - wins - losses).signTestPValue
    }

    /// The p-values of the three A/B tests (`abMetrics`) on one simulated experiment.
    static func abPValues(units: Int, lists: [UserLists], examination: [Double], model: ClickModel, using generator: inout SplitMix64) -> [Double] {
        // Per arm: units, units with a click, Σ clicks, Σ clicks², Σ rr, Σ rr².
        var sums = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 2)
        var clicked: [Int] = []
        for unit in 0..<units {
            let arm = unit % 2
            let user = lists[Int(generator.next(upperBound: UInt64(lists.count)))]
            simulateClicks(arm == 0 ? user.a : user.b, user.click, examination, model: model, into: &clicked, using: &generator)
            let clicks = Double(clicked.count)
            let rr = clicked.first.map { 1 / Double($0 + 1) } ?? 0
            sums[arm][0] += 1
            if !clicked.isEmpty { sums[arm][1] += 1 }
            sums[arm][2] += clicks
            sums[arm][3] += clicks * clicks
            sums[arm][4] += rr
            sums[arm][5] += rr * rr
        }
        let a = SufficientStatistics(count: sums[0][0], sum: sums[0][1], sumOfSquares: sums[0][1])
        let b = SufficientStatistics(count: sums[1][0], sum: sums[1][1], sumOfSquares: sums[1][1])
        return [
            TwoProportionZTest.compute(control: b, treatment: a).pValue,
            meanZTestPValue(n: (sums[0][0], sums[1][0]), sum: (sums[0][2], sums[1][2]), sumOfSquares: (sums[0][3], sums[1][3])),
            meanZTestPValue(n: (sums[0][0], sums[1][0]), sum: (sums[0][4], sums[1][4]), sumOfSquares: (sums[0][5], sums[1][5])),
        ]
    }

    /// Two-sided p-value of the two-sample z test on means (unequal variances), from each arm's
    /// count, sum and sum of squares; 1 when both arms have zero variance.
    static func meanZTestPValue(n: (Double, Double), sum: (Double, Double), sumOfSquares: (Double, Double)) -> Double {
        let mean = (sum.0 / n.0, sum.1 / n.1)
        let variance = ((sumOfSquares.0 - n.0 * mean.0 * mean.0) / (n.0 - 1), (sumOfSquares.1 - n.1 * mean.1 * mean.1) / (n.1 - 1))
        let se = (variance.0 / n.0 + variance.1 / n.1).squareRoot()
        guard se > 0 else { return 1 }
        return erfc(abs(mean.0 - mean.1) / se / 2.0.squareRoot())
    }

    /// The unit count where power crosses 0.8, interpolated on log(units); nil if it never does.
    static func unitsFor80(_ curve: [(Int, Double)]) -> Double? {
        guard let upper = curve.firstIndex(where: { $0.1 >= 0.8 }) else { return nil }
        guard upper > 0 else { return Double(curve[0].0) }
        let (n0, p0) = curve[upper - 1]
        let (n1, p1) = curve[upper]
        let fraction = p1 > p0 ? (0.8 - p0) / (p1 - p0) : 1
        return exp(log(Double(n0)) + fraction * (log(Double(n1)) - log(Double(n0))))
    }
}
