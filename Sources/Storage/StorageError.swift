/// Failures of the storage layer that are not PostgreSQL's own errors: the local cluster,
/// migration files and their history. Each prints as a sentence with what to do.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var advice: String?

    public init(_ message: String, advice: String? = nil) {
        self.message = message
        self.advice = advice
    }

    public var description: String {
        advice.map { "\(message). \($0)" } ?? message
    }
}
