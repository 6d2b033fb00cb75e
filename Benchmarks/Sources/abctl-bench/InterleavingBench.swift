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
/// Clicks follow the world's position-based model: P(click at i) = examination(i) ·
/// P(click | examined). One impression per unit. Interleaving: Team-Draft list of A and B, clicks
/// credited to the contributing ranker, per-unit preference = sign(credit A − credit B), exact sign
/// test over non-tied units. A/B: units split alternately, outcome = the impression got a click
/// (clicked impressions / impressions, i.e. CTR per impression), two-proportion z test.
/// Power at each unit count = share of REPS (default 200) seeded simulations with p < 0.05; the
/// 80% point is interpolated on log(units) between the bracketing counts of a geometric grid
/// (factor GRID, default 2).
enum InterleavingBench {
    struct UserLists {
        var a: [Int]
        var b: [Int]
        /// P(click | examined) per item index of a ∪ b.
        var click: [Int: Double]
    }

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
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
        let ctrA = lists.map { clickedShare($0.a, $0.click, examination) }.reduce(0, +) / Double(lists.count)
        let ctrB = lists.map { clickedShare($0.b, $0.click, examination) }.reduce(0, +) / Double(lists.count)
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
        var abPower: [(Int, Double)] = []
        let start = Date()
        // Unit counts grow geometrically by GRID (default 2) from 25.
        let growth = max(Double(environment["GRID"] ?? "") ?? 2, 1.05)
        var exactUnits = 25.0
        var units = 25
        while units <= 3_276_800 && (interleavingPower.last?.1 ?? 0 < 0.8 || abPower.last?.1 ?? 0 < 0.8) {
            if interleavingPower.last?.1 ?? 0 < 0.8 || interleavingPower.count < 2 {
                let power = simulatePower(repetitions: repetitions, seed: UInt64(units)) { generator in
                    interleavingPValue(units: units, lists: lists, examination: examination, using: &generator)
                }
                interleavingPower.append((units, power))
            }
            if abPower.last?.1 ?? 0 < 0.8 {
                let power = simulatePower(repetitions: repetitions, seed: UInt64(units) &+ 1_000_003) { generator in
                    abPValue(units: units, lists: lists, examination: examination, using: &generator)
                }
                abPower.append((units, power))
            }
            print(
                "units \(units): power interleaving \(interleavingPower.last.map { String(format: "%.3f", $0.1) } ?? "-"), A/B \(abPower.last.map { String(format: "%.3f", $0.1) } ?? "-")"
            )
            exactUnits *= growth
            units = Int(exactUnits.rounded())
        }
        guard let interleavingUnits = unitsFor80(interleavingPower), let abUnits = unitsFor80(abPower) else {
            print("80% power was not reached within the grid")
            return
        }
        print(
            String(
                format: "units for 80%% power: interleaving %.0f, A/B %.0f; ratio A/B / interleaving = %.1f (%.0f s)",
                interleavingUnits,
                abUnits,
                abUnits / interleavingUnits,
                Date().timeIntervalSince(start)
            )
        )
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

    /// P(at least one click) on `list`.
    static func clickedShare(_ list: [Int], _ click: [Int: Double], _ examination: [Double]) -> Double {
        1 - list.enumerated().reduce(1.0) { $0 * (1 - examination[$1.offset] * (click[$1.element] ?? 0)) }
    }

    /// Share of `repetitions` simulations whose p-value is below 0.05.
    static func simulatePower(repetitions: Int, seed: UInt64, _ pValue: (inout SplitMix64) -> Double) -> Double {
        var generator = SplitMix64(seed: seed)
        var significant = 0
        for _ in 0..<repetitions where pValue(&generator) < 0.05 { significant += 1 }
        return Double(significant) / Double(repetitions)
    }

    static func interleavingPValue(units: Int, lists: [UserLists], examination: [Double], using generator: inout SplitMix64) -> Double {
        var wins = 0
        var losses = 0
        var clicked: [Int] = []
        for _ in 0..<units {
            let user = lists[Int(generator.next(upperBound: UInt64(lists.count)))]
            let list = TeamDraft.interleave(user.a, user.b, length: 10, using: &generator)
            clicked.removeAll(keepingCapacity: true)
            for (position, item) in list.items.enumerated() where generator.nextUnitDouble() < examination[position] * (user.click[item] ?? 0) {
                clicked.append(position)
            }
            guard !clicked.isEmpty else { continue }
            let credit = list.credit(clickedPositions: clicked)
            if credit[0] > credit[1] { wins += 1 } else if credit[1] > credit[0] { losses += 1 }
        }
        return PairwisePreference(wins: wins, losses: losses, ties: units - wins - losses).signTestPValue
    }

    static func abPValue(units: Int, lists: [UserLists], examination: [Double], using generator: inout SplitMix64) -> Double {
        var clickedUnits = [0.0, 0.0]
        var armUnits = [0.0, 0.0]
        for unit in 0..<units {
            let arm = unit % 2
            let user = lists[Int(generator.next(upperBound: UInt64(lists.count)))]
            let list = arm == 0 ? user.a : user.b
            var clicked = false
            for (position, item) in list.enumerated() where generator.nextUnitDouble() < examination[position] * (user.click[item] ?? 0) {
                clicked = true
            }
            armUnits[arm] += 1
            if clicked { clickedUnits[arm] += 1 }
        }
        let a = SufficientStatistics(count: armUnits[0], sum: clickedUnits[0], sumOfSquares: clickedUnits[0])
        let b = SufficientStatistics(count: armUnits[1], sum: clickedUnits[1], sumOfSquares: clickedUnits[1])
        return TwoProportionZTest.compute(control: b, treatment: a).pValue
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
