/// Membership of a layer: experiments in one layer take disjoint segments of the layer's hash
/// space, so no unit is in two of them.
public struct LayerSpec: Codable, Sendable, Equatable {
    /// The layer's name; experiments with the same name share it.
    public var name: String
    /// Share (0…1] of the layer's hash space this experiment takes.
    public var share: Double
    /// Start of this experiment's segment in [0, 1); nil to be packed after the explicit ones
    /// in name order (see docs/spec.md, "Layers").
    public var offset: Double?
    /// Salt of the layer hash; defaults to `layer:` + name.
    public var salt: String

    public init(name: String, share: Double, offset: Double? = nil, salt: String? = nil) {
        self.name = name
        self.share = share
        self.offset = offset
        self.salt = salt ?? "layer:\(name)"
    }
}

/// A global holdout: a share of all units excluded from every experiment, chosen by its own salt.
public struct HoldoutSpec: Codable, Sendable, Equatable {
    /// Share (0…1) of all units held out.
    public var share: Double
    public var salt: String

    public init(share: Double, salt: String = HoldoutSpec.defaultSalt) {
        self.share = share
        self.salt = salt
    }

    /// The salt used when a spec gives none.
    public static let defaultSalt = "global-holdout"
}
