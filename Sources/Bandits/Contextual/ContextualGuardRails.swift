/// The constraints of the non-contextual bandits translated to a choice per request, with the
/// chosen arm's exact propensity under all of them together:
///
/// - control share c: with probability c the control arm is served whatever the context;
/// - burn-in: while any arm has fewer rewarded decisions than the burn-in, the rest of the
///   traffic is split uniformly (the policy is not consulted);
/// - floor f (min_weight) as ε-mixing with ε = m·f: with probability m·f an arm is drawn
///   uniformly, otherwise the policy chooses, so every arm keeps at least f.
///
/// So P(a | x) = c·[a is the control] + (1 − c)·q(a | x), where q(a | x) = 1/m in burn-in and
/// f + (1 − m·f)·π(a | x) after it, π being the policy's own probability (1 or 1/ties for
/// LinUCB, the integrated probability for linear Thompson). Max change has no per-request
/// meaning (the policy moves only when its model is replaced) and is not applied.
public struct ContextualGuardRails: Sendable, Hashable {
    /// The floor f on each arm's probability, 0…1/m.
    public let floor: Double
    /// The share c served to the control arm, 0…1 (0 without a control).
    public let controlShare: Double
    /// The index of the control arm in the policy's arms; nil without one.
    public let controlIndex: Int?
    /// Whether choices are still uniform (some arm below the burn-in).
    public let inBurnIn: Bool
    /// The number of arms m.
    public let armCount: Int

    /// Rails for `armCount` arms; throws when the floor exceeds 1/m, a share is outside [0, 1]
    /// or a control share has no control.
    public init(armCount: Int, floor: Double, controlShare: Double, controlIndex: Int?, inBurnIn: Bool) throws(BanditsError) {
        guard armCount > 0 else { throw .noArms }
        try require(floor, "min_weight", "between 0 and 1/arms") { $0 >= 0 && $0 * Double(armCount) <= 1 + 1e-12 }
        try require(controlShare, "control_share", "between 0 and 1") { $0 >= 0 && $0 <= 1 }
        if let controlIndex, !(0..<armCount).contains(controlIndex) { throw .unknownArm("#\(controlIndex)") }
        guard controlShare == 0 || controlIndex != nil else {
            throw .infeasibleConstraints("a control share needs a control arm")
        }
        self.armCount = armCount
        self.floor = floor
        self.controlShare = controlShare
        self.controlIndex = controlIndex
        self.inBurnIn = inBurnIn
    }

    /// Chooses an arm for `context` and returns it with P(arm | context) under the rails.
    public func choose<P: ContextualPolicy, G: RandomNumberGenerator>(
        _ policy: P,
        context: [Double],
        using generator: inout G
    ) throws(BanditsError) -> ContextualChoice {
        let m = armCount
        var index: Int
        var policyProbability: Double?
        if let controlIndex, generator.nextUnitDouble() < controlShare {
            index = controlIndex
        } else if inBurnIn || generator.nextUnitDouble() < floor * Double(m) {
            index = min(m - 1, Int(generator.nextUnitDouble() * Double(m)))
        } else {
            let choice = try policy.choose(context: context, using: &generator)
            guard let chosen = policy.arms.firstIndex(of: choice.arm) else { throw .unknownArm(choice.arm) }
            index = chosen
            policyProbability = choice.propensity
        }
        let pi: Double
        if inBurnIn {
            pi = 1 / Double(m)  // unused by `probability`, which takes 1/m in burn-in
        } else if let policyProbability {
            pi = policyProbability
        } else {
            pi = try policy.probability(of: index, context: context)
        }
        return ContextualChoice(arm: policy.arms[index], propensity: probability(of: index, policyProbability: pi))
    }

    /// Every arm's probability for `context`, in the policy's arm order.
    public func probabilities<P: ContextualPolicy>(_ policy: P, context: [Double]) throws(BanditsError) -> [Double] {
        var result: [Double] = []
        for index in 0..<armCount {
            let pi = inBurnIn ? 1 / Double(armCount) : try policy.probability(of: index, context: context)
            result.append(probability(of: index, policyProbability: pi))
        }
        return result
    }

    /// P(arm `index`) given the policy's own probability π of it.
    func probability(of index: Int, policyProbability pi: Double) -> Double {
        let m = Double(armCount)
        let rest = inBurnIn ? 1 / m : floor + (1 - m * floor) * pi
        let control = index == controlIndex ? controlShare : 0
        return control + (1 - controlShare) * rest
    }
}
