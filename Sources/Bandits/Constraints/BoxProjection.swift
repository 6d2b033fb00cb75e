/// The point of {w : lower ≤ w ≤ upper, Σ w = total} closest to `point` (Euclidean).
///
/// Proof of correctness. The problem is convex; its KKT conditions give
/// w_i(t) = clamp(point_i + t, lower_i, upper_i) for one multiplier t. Each w_i(t) is
/// continuous and nondecreasing in t, so g(t) = Σ w_i(t) is too, with g(−∞) = Σ lower and
/// g(+∞) = Σ upper. When Σ lower ≤ total ≤ Σ upper (the caller guarantees it), the
/// intermediate value theorem gives a t with g(t) = total. g is piecewise linear with kinks
/// only at the breakpoints lower_i − point_i and upper_i − point_i, so t is found exactly
/// by locating the two neighbouring breakpoints that bracket `total` and interpolating.
/// Every w_i = clamp(…) lies in [lower_i, upper_i] by construction: floors and the change
/// limit hold exactly, not after a renormalisation. The rounding residual of Σ w (~1e-16)
/// is then moved onto coordinates that have room for it, staying inside the box.
func projectOntoBox(_ point: [Double], lower: [Double], upper: [Double], total: Double) -> [Double] {
    func values(at t: Double) -> [Double] {
        point.indices.map { min(upper[$0], max(lower[$0], point[$0] + t)) }
    }
    func sum(at t: Double) -> Double { values(at: t).reduce(0, +) }

    let breakpoints = point.indices.flatMap { [lower[$0] - point[$0], upper[$0] - point[$0]] }.sorted()
    var t = breakpoints.last ?? 0
    var previous = (t: breakpoints.first ?? 0, g: sum(at: breakpoints.first ?? 0))
    if previous.g >= total {
        t = previous.t
    } else {
        for b in breakpoints.dropFirst() {
            let g = sum(at: b)
            if g >= total {
                let slope = g - previous.g
                t = slope > 0 ? previous.t + (total - previous.g) / slope * (b - previous.t) : b
                break
            }
            previous = (b, g)
        }
    }

    var w = values(at: t)
    var residual = total - w.reduce(0, +)
    for i in w.indices where residual != 0 {
        let room = residual > 0 ? upper[i] - w[i] : lower[i] - w[i]
        let move = residual > 0 ? min(room, residual) : max(room, residual)
        w[i] += move
        residual -= move
    }
    return w
}
