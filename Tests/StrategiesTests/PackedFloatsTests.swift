import Foundation
import Testing

@testable import Strategies

/// Factors are saved as raw little-endian bytes in base64, and files of the number-per-element
/// form still load.
@Suite struct PackedFloatsTests {
    struct Holder: Codable, Equatable {
        @PackedFloats var values: [Float]
    }

    @Test func savesRawLittleEndianBytes() throws {
        let data = try JSONEncoder().encode(Holder(values: [1, -2.5]))
        // 1.0 = 0x3F800000, −2.5 = 0xC0200000, little-endian: 00 00 80 3F 00 00 20 C0.
        let expected = Data([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0]).base64EncodedString()
        #expect(String(decoding: data, as: UTF8.self) == #"{"values":"\#(expected)"}"#)
        #expect(try JSONDecoder().decode(Holder.self, from: data) == Holder(values: [1, -2.5]))
    }

    @Test func readsTheOlderNumberForm() throws {
        let older = Data(#"{"values":[1,-2.5,0.25]}"#.utf8)
        #expect(try JSONDecoder().decode(Holder.self, from: older).values == [1, -2.5, 0.25])
    }

    @Test func refusesBytesThatAreNotWholeFloats() {
        let odd = Data(#"{"values":"AAAA"}"#.utf8)  // three bytes
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Holder.self, from: odd) }
    }
}
