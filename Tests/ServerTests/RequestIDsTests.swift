import Foundation
import Testing

@testable import Server

/// Request ids are version-7 UUIDs (RFC 9562): the decision's time, then random bits; distinct,
/// ordered by time, printed as Foundation prints them in lowercase.
@Suite("Request ids")
struct RequestIDsTests {
    @Test("ids across several pool refills are distinct version-7, variant-10 UUIDs")
    func versionAndVariant() {
        let source = RequestIDs()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        // 4096-byte pool / 16 bytes per id = 256 ids per refill; 1000 ids span four refills.
        let ids = (0..<1000).map { _ in source.next(at: now) }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.uuid.6 >> 4 == 7)
            #expect(id.uuid.8 >> 6 == 0b10)
        }
        // The random part differs: not every id shares its last byte (chance (1/256)^999 otherwise).
        #expect(Set(ids.map(\.uuid.15)).count > 1)
    }

    @Test("the first 48 bits are the Unix time in milliseconds, the next 12 after the version its fraction")
    func timePrefix() {
        // 1 700 000 000 123.456 ms = 0x018bcfe5687b ms; 0.456 ms × 4096 = 1867.8 → 1867 = 0x74b.
        // A Date near 2023 holds time to about 0.24 µs, one step of the fraction, so it may read 1868.
        let id = RequestIDs().next(at: Date(timeIntervalSince1970: 1_700_000_000.123456))
        #expect(id.lowercasedString.hasPrefix("018bcfe5-687b-7"))
        let fraction = Int(id.uuid.6 & 0x0F) << 8 | Int(id.uuid.7)
        #expect((1867...1868).contains(fraction))
        // The Unix epoch itself: all-zero time bits.
        #expect(RequestIDs().next(at: Date(timeIntervalSince1970: 0)).lowercasedString.hasPrefix("00000000-0000-7000-"))
    }

    @Test("ids of later decisions sort after earlier ones, as bytes and as text")
    func timeOrder() {
        let source = RequestIDs()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        // Steps of 0.3 ms: finer than a millisecond, coarser than the 1/4096 ms fraction.
        let texts = (0..<500).map { source.next(at: start.addingTimeInterval(Double($0) * 0.0003)).lowercasedString }
        #expect(texts == texts.sorted())
        #expect(Set(texts).count == texts.count)
    }

    @Test("the lowercase text is Foundation's uuidString lowercased")
    func text() {
        let source = RequestIDs()
        for id in (0..<300).map({ _ in source.next(at: Date()) }) + [UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255))] {
            #expect(id.lowercasedString == id.uuidString.lowercased())
        }
    }
}
