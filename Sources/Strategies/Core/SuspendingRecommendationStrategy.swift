/// A strategy whose answer waits on I/O (a model served elsewhere). Callers that can suspend,
/// such as the decision service, ask `recommendSuspending` so that the wait holds no thread;
/// the synchronous `recommend` stays for batch callers such as `abctl eval`.
public protocol SuspendingRecommendationStrategy: RecommendationStrategy {
    /// The same answer as `recommend(_:)`, awaited without blocking the caller's thread.
    func recommendSuspending(_ request: RecommendationRequest) async -> [ScoredItem]
}
