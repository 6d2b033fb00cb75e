/// Where each experiment of a layer sits in the layer's hash space [0, 1). Experiments with
/// an explicit `offset` take [offset, offset + share); the others are packed one after
/// another, in ascending order of experiment name, from the end of the last explicit
/// segment. Assignment and validation both use this plan, so they cannot disagree.
public enum LayerPlan {
    /// One experiment's segment of a layer.
    public struct Segment: Sendable, Equatable {
        public var experiment: String
        public var start: Double
        public var end: Double

        public init(experiment: String, start: Double, end: Double) {
            self.experiment = experiment
            self.start = start
            self.end = end
        }

        /// Whether a layer bucket falls in this segment.
        public func contains(_ bucket: Double) -> Bool { bucket >= start && bucket < end }
    }

    /// Segments of the experiments of one layer, in ascending order of start.
    public static func segments(_ members: [(experiment: String, layer: LayerSpec)]) -> [Segment] {
        let explicit = members.filter { $0.layer.offset != nil }
            .map { Segment(experiment: $0.experiment, start: $0.layer.offset ?? 0, end: ($0.layer.offset ?? 0) + $0.layer.share) }
        var cursor = explicit.map(\.end).max() ?? 0
        var packed: [Segment] = []
        for member in members.filter({ $0.layer.offset == nil }).sorted(by: { $0.experiment < $1.experiment }) {
            packed.append(Segment(experiment: member.experiment, start: cursor, end: cursor + member.layer.share))
            cursor += member.layer.share
        }
        return (explicit + packed).sorted { ($0.start, $0.experiment) < ($1.start, $1.experiment) }
    }

    /// Segments of every layer used by `specs`, by layer name.
    public static func segments(of specs: [ExperimentSpec]) -> [String: [Segment]] {
        let members = specs.compactMap { spec in spec.layer.map { (experiment: spec.name, layer: $0) } }
        return Dictionary(grouping: members, by: \.layer.name).mapValues { segments($0) }
    }
}
