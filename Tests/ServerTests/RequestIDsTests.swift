import Foundation
import Testing

@testable import Server

/// Request ids are random version-4 UUIDs, distinct, printed as Foundation prints them in lowercase.
@Suite("Request ids")
struct RequestIDsTests {
    @Test("ids across several pool refills are distinct version-4, variant-10 UUIDs")
    func versionAndVariant() {
        let source = RequestIDs()
        // 4096-byte pool / 16 bytes per id = 256 ids per refill; 1000 ids span four refills.
        let ids = (0..<1000).map { _ in source.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.uuid.6 >> 4 == 4)
            #expect(id.uuid.8 >> 6 == 0b10)
        }
        // Random bits differ: not every id shares its first byte (chance (1/256)^999 otherwise).
        #expect(Set(ids.map(\.uuid.0)).count > 1)
    }

    @Test("the lowercase text is Foundation's uuidString lowercased")
    func text() {
        let source = RequestIDs()
        for id in (0..<300).map({ _ in source.next() }) + [UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255))] {
            #expect(id.lowercasedString == id.uuidString.lowercased())
        }
    }
}
