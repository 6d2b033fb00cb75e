/// Splits TREC text into numbered lines of whitespace-separated fields, skipping blank lines.
/// Works on UTF-8 bytes: TREC files are ASCII in practice and runs reach millions of lines.
enum TrecLines {
    /// Calls `body` with the 1-based line number and the fields of every non-blank line.
    static func forEach<E: Error>(in text: String, _ body: (Int, [Substring]) throws(E) -> Void) throws(E) {
        var lineNumber = 0
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        while lineStart < utf8.endIndex {
            lineNumber += 1
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let fields = Substring(text[lineStart..<lineEnd]).utf8
                .split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
                .map { Substring($0) }
            if !fields.isEmpty { try body(lineNumber, fields) }
            lineStart = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
        }
    }
}
