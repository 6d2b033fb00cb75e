/// A line of a TREC run or qrels file that cannot be read, printed as `file:line: message` so an
/// editor can jump to it.
public struct TrecFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name as given to the parser.
    public let file: String
    /// The 1-based line number.
    public let line: Int
    /// What is wrong, naming the field when one field is at fault.
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}
