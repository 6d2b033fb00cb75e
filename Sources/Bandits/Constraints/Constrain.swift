/// Applies the spec's constraints to a policy's proposed weights, in this order:
///
/// 1. Burn-in: while some arm has fewer than `burnInUnits` units, the proposal is replaced by
///    the initial weights (equal unless given), whatever the policy said.
/// 2. Reserved control share: the control arm gets exactly its share s; the other arms'
///    proposals are rescaled to sum to R = 1 − s (equal if they were all 0).
/// 3. Floor and maximum change, together: the other arms' weights are the Euclidean
///    projection of the proposal onto {w : L_i ≤ w_i ≤ U_i, Σ w_i = R} with
///    L_i = max(floor, w_old,i − δ) and U_i = min(R, w_old,i + δ) (`projectOntoBox`), so the
///    result never needs renormalising afterwards and a proposal that already obeys every
///    limit is returned unchanged. Without previous weights there is no change limit.
///
/// Why the result respects floors, the change limit and sums to 1: see `projectOntoBox`.
/// When the previous weights themselves break the floor or control share (the spec changed),
/// no step of size δ may reach a feasible point; then δ is raised to the smallest value that
/// makes the box feasible (found by bisection, at most 1), so the weights move to compliance
/// as fast as the limit allows and priorities are: sum to 1 > control share > floor > max change.
public func constrain(
    proposed: ArmWeights,
    previous: ArmWeights?,
    statistics: [ArmStatistics],
    constraints: AllocationConstraints
) throws(BanditsError) -> ArmWeights {
    let arms = try statistics.validated()
    try constraints.validate(armCount: arms.count)
    var proposal = try aligned(proposed, to: arms)
    let old = try previous.map { (w: ArmWeights) throws(BanditsError) in try aligned(w, to: arms) }

    // 1. Burn-in.
    if statistics.contains(where: { $0.reward.count < constraints.burnInUnits }) {
        proposal =
            try constraints.initialWeights.map { (w: ArmWeights) throws(BanditsError) in try aligned(w, to: arms) }
            ?? Array(repeating: 1 / Double(arms.count), count: arms.count)
    }

    // 2. Reserved control share.
    var controlIndex: Int?
    var budget = 1.0
    if let control = constraints.control {
        guard let c = arms.firstIndex(of: control.arm) else { throw .unknownArm(control.arm) }
        controlIndex = c
        budget = 1 - control.share
    }
    let others = arms.indices.filter { $0 != controlIndex }
    let otherTotal = others.reduce(0) { $0 + proposal[$1] }
    let target = others.map { otherTotal > 0 ? proposal[$0] / otherTotal * budget : budget / Double(others.count) }

    // 3. Floor and maximum change.
    let floor = min(constraints.floor, budget / Double(others.count))
    func bounds(_ delta: Double?) -> (lower: [Double], upper: [Double]) {
        guard let delta, let old else {
            return (Array(repeating: floor, count: others.count), Array(repeating: budget, count: others.count))
        }
        return (others.map { max(floor, old[$0] - delta) }, others.map { min(budget, old[$0] + delta) })
    }
    var delta = constraints.maxChange
    if let limit = delta, !isFeasible(bounds(limit), total: budget) {
        var (low, high) = (limit, 1.0)
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if isFeasible(bounds(mid), total: budget) { high = mid } else { low = mid }
        }
        delta = high
    }
    let box = bounds(delta)
    let projected = projectOntoBox(target, lower: box.lower, upper: box.upper, total: budget)

    var values = [Double](repeating: 0, count: arms.count)
    for (position, index) in others.enumerated() { values[index] = projected[position] }
    if let controlIndex, let control = constraints.control { values[controlIndex] = control.share }
    return ArmWeights(uncheckedArms: arms, values: values)
}

/// Whether some w with lower ≤ w ≤ upper sums to `total`.
private func isFeasible(_ box: (lower: [Double], upper: [Double]), total: Double) -> Bool {
    box.lower.reduce(0, +) <= total + 1e-15 && box.upper.reduce(0, +) >= total - 1e-15
}

/// `weights`' values in the order of `arms`; both must hold the same arm keys.
private func aligned(_ weights: ArmWeights, to arms: [String]) throws(BanditsError) -> [Double] {
    guard weights.arms.count == arms.count else {
        throw .invalidWeights("weights for \(weights.arms) do not match the arms \(arms)")
    }
    var values: [Double] = []
    for arm in arms {
        guard let w = weights[arm] else { throw .unknownArm(arm) }
        values.append(w)
    }
    return values
}
