/// A report that cannot be made, as a sentence, with a code callers can branch on (the
/// dashboard answers 404 for `.noSuchExperiment`).
public struct ReportError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as a growable set of codes.
    public struct Code: Hashable, Sendable {
        let rawValue: String
        /// No experiment has the name asked for.
        public static let noSuchExperiment = Code(rawValue: "noSuchExperiment")
        /// The stored spec has no arms.
        public static let noArms = Code(rawValue: "noArms")
        /// The metric asked for is not one the experiment measures.
        public static let unmeasuredMetric = Code(rawValue: "unmeasuredMetric")
        /// The report cannot be made in the form asked for.
        public static let unsupported = Code(rawValue: "unsupported")
    }

    public var code: Code
    public var description: String

    /// An error whose `description` is the sentence shown to the user.
    public init(_ description: String, code: Code = .unsupported) {
        self.code = code
        self.description = description
    }
}
