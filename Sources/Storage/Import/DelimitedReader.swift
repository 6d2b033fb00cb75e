/// Reads CSV (RFC 4180: quoted fields with doubled quotes, newlines inside quotes) record
/// by record from a byte buffer, reporting the line each record starts on.
public struct DelimitedReader {
    /// One record: its fields and the 1-based line it starts on.
    public struct Record {
        public var fields: [String]
        public var line: Int
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private let separator: UInt8

    public init(bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) {
        // Skip a UTF-8 byte order mark.
        self.bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        self.separator = separator
    }

    /// How far through the input the reader is, 0…1, for progress.
    public var fractionRead: Double { bytes.isEmpty ? 1 : Double(index) / Double(bytes.count) }

    /// The next record, nil at the end; throws on an unterminated quote.
    public mutating func next() throws(ImportError) -> Record? {
        // Skip blank lines between records.
        while index < bytes.count && (bytes[index] == 10 || bytes[index] == 13) {
            if bytes[index] == 10 { line += 1 }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == 34 {
                    if index + 1 < bytes.count && bytes[index + 1] == 34 {
                        field.append(34)
                        index += 2
                        continue
                    }
                    quoted = false
                } else {
                    if byte == 10 { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            if byte == 34 && field.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if byte == separator {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            } else if byte == 10 || byte == 13 {
                if byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 { index += 1 }
                index += 1
                line += 1
                break
            } else {
                field.append(byte)
            }
            index += 1
        }
        if quoted {
            throw ImportError(line: startLine, field: nil, message: "a quoted field is never closed (a \" is missing)")
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(fields: fields, line: startLine)
    }
}

/// A problem with one row of an import file: the line, the field, and what is wrong.
public struct ImportError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String?
    public var line: Int
    public var field: String?
    public var message: String

    public init(file: String? = nil, line: Int, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        let place = file.map { "\($0):\(line)" } ?? "line \(line)"
        return field.map { "\(place): field \"\($0)\": \(message)" } ?? "\(place): \(message)"
    }
}
