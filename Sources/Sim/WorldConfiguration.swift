import Foundation

/// Every knob of a simulated world, with defaults that give realistic volumes and a clear
/// signal for content, collaborative and next-item models. docs/simulator.md explains each.
public struct WorldConfiguration: Sendable, Equatable {
    /// Fixes the whole world: catalogue, users, history, responses and request streams.
    public var seed: UInt64 = 1
    /// Number of catalogue items.
    public var itemCount = 2000
    /// Number of known (returning) users.
    public var userCount = 5000
    /// Number of item clusters; each is one category with its own vocabulary and price level.
    public var clusterCount = 12
    /// Dimension of the latent item and taste vectors.
    public var dimensions = 12
    /// Number of brands shared across categories.
    public var brandCount = 40
    /// Spread of an item's latent vector around its cluster centre (per coordinate, before scaling).
    public var itemNoise = 0.35
    /// Dirichlet concentration of a user's mixture over clusters; small values give focused tastes.
    public var tasteConcentration = 0.3
    /// Length of a user's taste vector; the logit gains `tasteScale × weight of the item's cluster`.
    public var tasteScale = 3.0
    /// Zipf exponent of base popularity: the item of popularity rank r gets weight 1 / r^s.
    public var zipfExponent = 1.0
    /// Weight of log(itemCount × popularity share) in the click logit.
    public var popularityWeight = 0.3
    /// Intercept of the click logit.
    public var clickIntercept = -3.5
    /// Examination probability by position: `1 / log2(position + 1)` when nil, else `decay^(position − 1)`.
    public var geometricDecay: Double? = nil
    /// P(add to cart | click).
    public var addToCartProbability = 0.3
    /// P(purchase | add to cart).
    public var purchaseProbability = 0.4
    /// Number of planted successors per item.
    public var successorCount = 3
    /// Probability that the next item in a session is one of the previous item's successors.
    public var habitStrength = 0.6
    /// Relative weights of the planted successors (first is the most likely).
    public var successorWeights: [Double] = [0.6, 0.25, 0.15]
    /// Mean sessions per user per day; each user's rate is this times a Gamma(0.5)/0.5 activity level.
    public var sessionsPerUserPerDay = 0.2
    /// Mean number of items viewed in a session (at least one).
    public var meanSessionLength = 6.0
    /// Share of request-stream arrivals that are new units, unseen in the history.
    public var newUnitShare = 0.2
    /// Additive logit shift by device; devices not listed get 0.
    public var deviceEffects: [String: Double] = ["desktop": 0.2, "mobile": 0, "tablet": -0.1]
    /// An optional change of one cluster's appeal at a chosen time.
    public var drift: Drift? = nil

    /// A configuration with the defaults above and the given seed.
    public init(seed: UInt64 = 1) {
        self.seed = seed
    }
}

/// A preference drift: from `time` on, every item of `cluster` gains `appealShift` in its
/// click logit for every user (a trend), and each user's taste term is scaled by
/// `tasteRetention` (1 keeps old tastes whole; 0 forgets them), so the best strategy can
/// change mid-experiment: lists built from old tastes lose, lists that follow the trend win.
public struct Drift: Sendable, Equatable {
    /// When the drift takes effect.
    public var time: Date
    /// The cluster whose appeal changes.
    public var cluster: Int
    /// Added to the click logit of the cluster's items from `time` on (negative to fall out of favour).
    public var appealShift: Double
    /// Multiplies every user's taste term (taste · features) from `time` on, in [0, 1].
    public var tasteRetention: Double

    /// A drift of `appealShift` for `cluster` from `time` on, keeping `tasteRetention` of old tastes.
    public init(time: Date, cluster: Int = 0, appealShift: Double = 2.0, tasteRetention: Double = 1) {
        self.time = time
        self.cluster = cluster
        self.appealShift = appealShift
        self.tasteRetention = min(max(tasteRetention, 0), 1)
    }
}
