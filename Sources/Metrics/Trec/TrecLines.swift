/// Splits TREC text into numbered lines of whitespace-separated fields, skipping blank lines.
/// Works on the UTF-8 bytes in place: TREC files are ASCII in practice and runs reach millions of
/// lines, so fields are only turned into Strings and numbers when a parser asks for them.
struct TrecLine {
    /// The whole text's bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Byte ranges of the fields of this line.
    let fields: [Range<Int>]

    /// The number of fields.
    var count: Int { fields.count }

    /// Field `index` as a String.
    func string(_ index: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[fields[index]]), as: UTF8.self)
    }

    /// Whether field `index` holds exactly the bytes of `text`.
    func field(_ index: Int, equals text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.elementsEqual(bytes[fields[index]]) }
    }
}

enum TrecLines {
    /// Calls `body` with the 1-based line number and the fields of every non-blank line.
    static func forEach<E: Error>(in text: String, _ body: (Int, TrecLine) throws(E) -> Void) throws(E) {
        var text = text
        let result: E? = text.withUTF8 { bytes -> E? in
            var lineNumber = 1
            var fields: [Range<Int>] = []
            fields.reserveCapacity(8)
            var fieldStart: Int? = nil
            var index = 0
            while index <= bytes.count {
                let byte: UInt8 = index < bytes.count ? bytes[index] : 0x0A
                let isNewline = byte == 0x0A
                let isSpace = isNewline || byte == 0x20 || byte == 0x09 || byte == 0x0D
                if isSpace {
                    if let start = fieldStart {
                        fields.append(start..<index)
                        fieldStart = nil
                    }
                    if isNewline {
                        if !fields.isEmpty {
                            do throws(E) {
                                try body(lineNumber, TrecLine(bytes: bytes, fields: fields))
                            } catch {
                                return error
                            }
                            fields.removeAll(keepingCapacity: true)
                        }
                        lineNumber += 1
                    }
                } else if fieldStart == nil {
                    fieldStart = index
                }
                index += 1
            }
            return nil
        }
        if let result { throw result }
    }
}
