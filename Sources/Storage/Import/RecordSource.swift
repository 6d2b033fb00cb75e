import Foundation

/// The rows of an import file as named fields: CSV/TSV with a header line, or JSON Lines
/// with one object per line.
struct RecordSource {
    private enum Format {
        case delimited(DelimitedReader, header: [String])
        case jsonLines(lines: [Substring], index: Int)
    }

    private var format: Format
    private let totalLines: Int

    init(path: String, bytes: [UInt8]) throws(ImportError) {
        let lower = path.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            let text = String(decoding: bytes, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            format = .jsonLines(lines: lines, index: 0)
            totalLines = max(lines.count, 1)
        } else if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") {
            var reader = DelimitedReader(bytes: bytes, separator: lower.hasSuffix(".tsv") ? 9 : UInt8(ascii: ","))
            guard let header = try reader.next() else {
                throw ImportError(file: path, line: 1, field: nil, message: "the file is empty; the first line must name the columns")
            }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if let duplicate = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw ImportError(file: path, line: 1, field: duplicate, message: "the header names this column twice")
            }
            format = .delimited(reader, header: names)
            totalLines = 1
        } else {
            throw ImportError(file: path, line: 0, field: nil, message: "unknown file type; use .csv, .tsv or .jsonl")
        }
    }

    var fractionRead: Double {
        switch format {
        case .delimited(let reader, _): reader.fractionRead
        case .jsonLines(_, let index): Double(index) / Double(totalLines)
        }
    }

    /// The next row's fields and line, nil at the end. Throws for rows that cannot be
    /// split into fields at all (a broken quote or JSON); the caller decides to skip or stop.
    mutating func next() throws(ImportError) -> ([String: String], Int)? {
        switch format {
        case .delimited(var reader, let header):
            defer { format = .delimited(reader, header: header) }
            guard let record = try reader.next() else { return nil }
            guard record.fields.count == header.count else {
                throw ImportError(
                    line: record.line,
                    field: nil,
                    message: "has \(record.fields.count) fields but the header names \(header.count)"
                )
            }
            return (Dictionary(zip(header, record.fields), uniquingKeysWith: { a, _ in a }), record.line)
        case .jsonLines(let lines, var index):
            defer { format = .jsonLines(lines: lines, index: index) }
            while index < lines.count && lines[index].allSatisfy(\.isWhitespace) { index += 1 }
            guard index < lines.count else { return nil }
            let line = index + 1
            let text = lines[index]
            index += 1
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                throw ImportError(line: line, field: nil, message: "is not a JSON object")
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                switch value {
                case let string as String: fields[key] = string
                case let number as NSNumber:
                    // JSON true/false arrive as NSNumber of Objective-C type "c" (char).
                    fields[key] = String(cString: number.objCType) == "c" ? (number.boolValue ? "true" : "false") : number.stringValue
                case is NSNull: continue
                default:
                    let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
                    fields[key] = String(decoding: data, as: UTF8.self)
                }
            }
            return (fields, line)
        }
    }
}
