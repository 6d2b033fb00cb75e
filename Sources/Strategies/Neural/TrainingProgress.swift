import Foundation

/// Where the neural strategies report each training epoch. A caller that wants a progress bar
/// wraps `fit` in `reporting(to:_:)`:
///
///     try TrainingProgress.reporting(to: { epoch, loss, validation in print(epoch, loss) }) {
///         try strategy.fit(interactions, catalogue: catalogue)
///     }
///
/// The observer is bound to the calling thread for the duration of `body`, which is where a
/// (synchronous) fit runs, so concurrent fits on other threads report to their own observers.
/// (A task-local was tried first; binding one synchronously crashed in optimised builds.)
public enum TrainingProgress {
    /// Called after every epoch with the epoch number (from 1), the mean training loss, and
    /// the validation NDCG@10 when a validation split is held out.
    public typealias Observer = @Sendable (_ epoch: Int, _ loss: Double, _ validation: Double?) -> Void

    /// Runs `body` with `observer` hearing every epoch of the neural fits it makes on this thread.
    public static func reporting<T, Failure: Error>(to observer: @escaping Observer, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[key]
        dictionary[key] = Box(observer: observer)
        defer { dictionary[key] = previous }
        return try body()
    }

    /// The observer bound to this thread, if any.
    static var current: Observer? {
        (Thread.current.threadDictionary[key] as? Box)?.observer
    }

    private static let key = "abctl.TrainingProgress.observer"

    private final class Box: Sendable {
        let observer: Observer
        init(observer: @escaping Observer) { self.observer = observer }
    }
}
