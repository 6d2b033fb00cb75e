import Foundation

/// Text PostgreSQL cannot store: a NUL character, or (in a request body) bytes that are not
/// UTF-8. A body holding such bytes is not JSON, so JSONDecoder names no field; it is read
/// again with each bad byte sequence replaced by a marker character (`markingUnstorableBytes`)
/// that stands for NUL, so the checks that refuse NUL in stored fields name the field at fault,
/// whichever of the two the client sent. Decisions look for the marker while decoding (through
/// `markerKey`); events turn it into NUL afterwards (`decode` and `restoring`).
enum UnstorableText {
    /// Where a decoder finds the marker (a `Character`) that stands for unstorable bytes.
    // The initialiser fails for no string; it is optional only by its protocol's shape.
    static let markerKey = CodingUserInfoKey(rawValue: "abctl.unstorableTextMarker")!

    /// Whether `text` holds a NUL character.
    static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        } ?? text.utf8.contains(0)
    }

    /// Decodes `T` from `data`. When JSONDecoder refuses it and it holds invalid UTF-8 or raw
    /// NUL bytes, decodes it again with every such sequence replaced by `marker` (a character
    /// the body does not hold) and returns that marker, which the caller turns into NUL with
    /// `restoring`; otherwise rethrows JSONDecoder's error.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> (value: T, marker: Character?) {
        do {
            return (try JSONDecoder().decode(T.self, from: data), nil)
        } catch {
            guard let (marked, marker) = markingUnstorableBytes(data),
                let value = try? JSONDecoder().decode(T.self, from: marked)
            else { throw error }
            return (value, marker)
        }
    }

    /// `text` with `marker` turned into NUL (unchanged when there is no marker).
    static func restoring(_ text: String, _ marker: Character?) -> String {
        guard let marker, text.contains(marker) else { return text }
        return String(text.map { $0 == marker ? "\u{0}" : $0 })
    }

    /// Noncharacters (never meant for interchange), tried in turn as the marker.
    private static let candidates: [Unicode.Scalar] = (0xFDD0...0xFDEF).compactMap(Unicode.Scalar.init)

    /// `data` with every invalid UTF-8 sequence and raw NUL byte replaced by a marker that does
    /// not occur in it (raw or as a `\uXXXX` escape); nil when `data` has neither.
    static func markingUnstorableBytes(_ data: Data) -> (Data, Character)? {
        guard data.contains(0) || String(validating: data, as: UTF8.self) == nil else { return nil }
        let lossy = String(decoding: data, as: UTF8.self)
        let present = Set(lossy.unicodeScalars.filter { (0xFDD0...0xFDEF).contains($0.value) })
        let lowered = lossy.lowercased()
        guard
            let scalar = candidates.first(where: { candidate in
                !present.contains(candidate) && !lowered.contains(String(candidate.value, radix: 16))
            })
        else { return nil }
        let markerBytes = Array(scalar.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16)
        var iterator = data.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let value) where value.value == 0:
                out += markerBytes
            case .scalarValue(let value):
                out += value.utf8
            case .error:
                out += markerBytes
            case .emptyInput:
                break loop
            }
        }
        return (Data(out), Character(scalar))
    }
}
