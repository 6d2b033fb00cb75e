import Foundation

extension ExperimentSpec {
    /// The spec as JSON with sorted keys, ISO-8601 dates and every default filled in, so equal
    /// specs give byte-equal text (store it, hash it, diff it).
    public func canonicalJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // JSONEncoder produces UTF-8 by construction.
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a spec back from `canonicalJSON()` output.
    public init(canonicalJSON text: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(ExperimentSpec.self, from: Data(text.utf8))
    }
}
