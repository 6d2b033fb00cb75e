/// The salted hash of a unit id and its bucket in [0, 1), the only source of randomness in
/// assignment. Reproducible anywhere:
///
///     seed   = XXH64(UTF-8(salt), seed: 0)
///     hash   = XXH64(UTF-8(unit id), seed: seed)
///     bucket = (hash >> 11) × 2^-53          // the top 53 bits as a double in [0, 1)
///
/// Salting through the seed avoids building a concatenated string on every request.
public struct UnitHash: Sendable, Hashable {
    /// The salt this hash was made for.
    public let salt: String
    /// XXH64 of the salt, used as the seed of every unit hash.
    public let seed: UInt64

    public init(salt: String) {
        self.salt = salt
        self.seed = XXHash64.hash(salt)
    }

    /// The 64-bit hash of `unit` under this salt.
    @inlinable
    public func hash(_ unit: String) -> UInt64 {
        XXHash64.hash(unit, seed: seed)
    }

    /// The bucket of `unit` in [0, 1).
    @inlinable
    public func bucket(_ unit: String) -> Double {
        Self.bucket(of: hash(unit))
    }

    /// The top 53 bits of `hash` as a double in [0, 1).
    @inlinable
    public static func bucket(of hash: UInt64) -> Double {
        Double(hash >> 11) * 0x1.0p-53
    }
}
