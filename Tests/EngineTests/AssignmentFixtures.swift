import Foundation
import Spec

/// Specs built in code for assignment tests.
enum AssignmentFixtures {
    static func spec(
        _ name: String,
        weights: [Double],
        layer: LayerSpec? = nil,
        holdout: HoldoutSpec? = nil,
        traffic: Double = 1,
        targeting: TargetingRule? = nil,
        status: ExperimentStatus = .running,
        sticky: Bool = true
    ) -> ExperimentSpec {
        ExperimentSpec(
            name: name,
            status: status,
            traffic: traffic,
            layer: layer,
            holdout: holdout,
            targeting: targeting,
            arms: weights.enumerated().map { ArmSpec(key: "arm\($0)", strategy: "popularity", isControl: $0 == 0, weight: $1) },
            sticky: sticky,
            metrics: MetricsSpec(primary: MetricName(.ctr))
        )
    }
}
