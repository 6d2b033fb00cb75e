import Foundation
import Testing

@testable import Sim

/// Clicks fall with position exactly as the examination model says.
@Suite struct PositionBiasTests {
    /// With random items at every position, E[clicks at p] = n × exam(p) × q̄ where q̄ is the mean
    /// click probability of a random (user, item) pair, the same for every position. So with q̂
    /// pooled over all positions (clicks / (n × Σ exam)), CTR(p) must match exam(p) × q̂, where
    /// exam(p) = 1/log2(p + 1) (p = 2: 0.631, p = 10: 0.289) or 0.7^(p − 1) for the geometric model,
    /// within four binomial standard errors of CTR(p) plus four of q̂.
    @Test(arguments: [nil, 0.7] as [Double?])
    func clickThroughRateByPositionFollowsTheExaminationModel(decay: Double?) {
        var configuration = TestWorlds.configuration()
        configuration.clickIntercept = -0.5  // q̄ near 0.4, so 40 000 lists give tight estimates
        configuration.geometricDecay = decay
        var world = World(configuration)
        var generator = SplitMix64Sampler(seed: 3)
        let positions = 10
        let lists = 40_000
        var clicks = Array(repeating: 0, count: positions + 1)
        for _ in 0..<lists {
            let unit = "u\(generator.int(below: world.users.count) + 1)"
            let list = (0..<positions).map { _ in "i\(generator.int(below: world.items.count) + 1)" }
            for event in world.respond(unit: unit, items: list, at: TestWorlds.start) where event.eventType == .click {
                clicks[event.position] += 1
            }
        }
        let n = Double(lists)
        let exam: [Double] = (0...positions).map { p in Self.examination(position: p, decay: decay) }
        let examinations = n * exam.reduce(0, +)
        let q = Double(clicks.reduce(0, +)) / examinations
        let qError = (q * (1 - q) / examinations).squareRoot()
        #expect(q > 0.2, "pooled click probability \(q)")
        for position in 1...positions {
            let ctr = Double(clicks[position]) / n
            let expected = exam[position] * q
            let ctrError: Double = (ctr * (1 - ctr) / n).squareRoot()
            let tolerance: Double = 4 * ctrError + 4 * exam[position] * qError
            #expect(abs(ctr - expected) < tolerance, "position \(position): CTR \(ctr), model \(expected) ± \(tolerance)")
            if position > 1 { #expect(clicks[position] < clicks[position - 1]) }
        }
    }

    /// exam(p) written out again from the model's definition (not read from World).
    static func examination(position: Int, decay: Double?) -> Double {
        guard position > 0 else { return 0 }
        if let decay { return pow(decay, Double(position - 1)) }
        return 1 / log2(Double(position + 1))
    }
}
