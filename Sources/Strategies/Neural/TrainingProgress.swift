/// Where the neural strategies report each training epoch. A caller that wants a progress bar
/// binds an observer around `fit`, e.g.
///
///     let observer: TrainingProgress.Observer = { epoch, loss, validation in print(epoch, loss) }
///     try TrainingProgress.$observer.withValue(observer) { try strategy.fit(interactions, catalogue: catalogue) }
///
/// A task-local value, so concurrent fits in different tasks report to their own observers.
public enum TrainingProgress {
    /// Called after every epoch with the epoch number (from 1), the mean training loss, and
    /// the validation NDCG@10 when a validation split is held out.
    public typealias Observer = @Sendable (_ epoch: Int, _ loss: Double, _ validation: Double?) -> Void

    /// The observer in force for fits started in this task; nil reports nothing.
    @TaskLocal public static var observer: Observer?
}
