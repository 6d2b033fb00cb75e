import Foundation

@testable import Server

extension FeedbackEvent {
    /// A click of unit "u" on item "i" with event id `id`, at a time with microseconds (the
    /// spool must keep them), for the tests that need events but not what they say.
    static func sample(_ id: String) -> FeedbackEvent {
        FeedbackEvent(
            eventID: id,
            requestID: UUID(uuidString: "6b3f1f5e-0b1a-4c39-9d55-5d0b7c9a1b11")!,
            unitID: "u",
            itemID: "i",
            type: .click,
            value: 1,
            timestamp: Date(timeIntervalSince1970: 1_780_000_000.123456)
        )
    }
}
