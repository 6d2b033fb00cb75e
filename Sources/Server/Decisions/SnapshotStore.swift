import Synchronization

/// The snapshot decisions read, swapped whole when experiments reload.
public final class SnapshotStore: Sendable {
    private let value: Mutex<ExperimentSnapshot>

    public init(_ snapshot: ExperimentSnapshot) {
        value = Mutex(snapshot)
    }

    /// The snapshot in force.
    public var current: ExperimentSnapshot { value.withLock { $0 } }

    func replace(with snapshot: ExperimentSnapshot) {
        value.withLock { $0 = snapshot }
    }
}
