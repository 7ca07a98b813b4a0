@testable import Adapters
import Foundation
import OpenADRAPI
import Testing

/// What our VEN knows when polls and notifications cross, and limits in other units.
@Suite("Adapters: the VEN's events")
struct VENEventsTests {
    static func event(_ id: String, modified: Double, _ type: String = "PRICE", _ value: Double = 1, units: String? = nil) -> Components.Schemas.Event {
        let t = Date(timeIntervalSince1970: 1_750_000_000)
        return .init(value1: .init(id: id, createdDateTime: t, modificationDateTime: t.addingTimeInterval(modified), objectType: .event),
                     value2: .init(programID: "p1", payloadDescriptors: units.map { [.init(objectType: .eventPayloadDescriptor, payloadType: type, units: $0)] },
                                   intervalPeriod: .init(start: t, duration: "PT1H"),
                                   intervals: [.init(id: 0, payloads: [.init(_type: type, values: [.init(value1: value)])])]))
    }

    /// A notification that arrives while a poll is in flight is newer than the poll's
    /// picture: an event created meanwhile stays, one deleted meanwhile does not come back.
    @Test func aPollDoesNotUndoNotifications() {
        let known = VENEvents()
        known.replace(with: [Self.event("old", modified: 0), Self.event("gone", modified: 0)])
        known.beginPoll()
        #expect(known.upsert(Self.event("new", modified: 5)) == .added)
        #expect(known.remove(Self.event("gone", modified: 0)) == .removed)
        known.replace(with: [Self.event("old", modified: 0), Self.event("gone", modified: 0)])   // listed before the changes
        #expect(known.all.map(\.value1.id) == ["new", "old"])
        // Without notifications in between, a poll is the truth: "new" was deleted at the VTN.
        known.beginPoll()
        known.replace(with: [Self.event("old", modified: 0)])
        #expect(known.all.map(\.value1.id) == ["old"])
        #expect(known.upsert(Self.event("new", modified: 5)) == .stale, "a late copy brought a deleted event back")
    }

    @Test func capacityLimitsInWattsAndMegawatts() {
        let from = Date(timeIntervalSince1970: 1_750_000_000), to = from.addingTimeInterval(3600)
        let w = OpenADRSignals.signals([Self.event("a", modified: 0, "IMPORT_CAPACITY_LIMIT", 250_000, units: "W")], from: from, to: to)
        let mw = OpenADRSignals.signals([Self.event("b", modified: 0, "EXPORT_CAPACITY_LIMIT", 1.5, units: "MW")], from: from, to: to)
        let kw = OpenADRSignals.signals([Self.event("c", modified: 0, "IMPORT_CAPACITY_LIMIT", 800)], from: from, to: to)
        #expect(w.map(\.value) == [250] && mw.map(\.value) == [1500] && kw.map(\.value) == [800])
    }
}
