/// One problem found in a spec: where it is, how bad it is, and a sentence saying what to do.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How a finding affects the spec.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The spec cannot be used until this is fixed.
        case error
        /// The spec works but probably not as intended.
        case warning
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var severity: Severity

    public init(at location: SourceLocation, _ message: String, severity: Severity = .error) {
        self.file = location.file
        self.line = location.line
        self.column = location.column
        self.message = message
        self.severity = severity
    }

    /// Where the finding points.
    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    /// `file:line:column: message`, prefixed with `warning: ` for warnings.
    public var description: String {
        severity == .warning ? "\(location): warning: \(message)" : "\(location): \(message)"
    }
}
