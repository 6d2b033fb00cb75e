/// A spec file as its reader found it: text, nothing readable, or bytes that are not UTF-8
/// (reported at the first such byte, so the user can find it in an editor).
public enum SpecFileContents: Sendable, Equatable {
    case text(String)
    /// Missing, not a regular file, or failing to read.
    case unreadable
    /// The first byte that is not UTF-8, at `line`:`column` (columns count characters from 1)
    /// and `offset` bytes from the start.
    case notUTF8(line: Int, column: Int, offset: Int)

    /// `bytes` decoded as UTF-8 text, or where the first byte that is not UTF-8 stands.
    public static func decoding(_ bytes: some Collection<UInt8>) -> SpecFileContents {
        if let text = String(validating: bytes, as: UTF8.self) { return .text(text) }
        // Not UTF-8: walk it again to find where, counting lines and characters.
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        var column = 1
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return .text(String(decoding: bytes, as: UTF8.self))  // unreachable: validated above
            case .error:
                return .notUTF8(line: line, column: column, offset: offset)
            }
        }
    }

    /// The finding for a file that is not UTF-8, at the offending byte.
    func notUTF8Message() -> String? {
        guard case .notUTF8(_, _, let offset) = self else { return nil }
        return "The file is not UTF-8 text: byte \(offset) (counted from 0) starts no UTF-8 character; save the file as UTF-8."
    }
}
