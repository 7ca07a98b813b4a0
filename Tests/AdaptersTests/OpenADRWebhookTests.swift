@testable import Adapters
import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import OpenADRAPI
import Testing
import TestSupport

/// Webhook notifications both ways: the park's VTN notifies subscribers of what changes,
/// our VEN receives notifications (also as real servers send them) and keeps the latest
/// state of each event whatever order they come in.
@Suite("Adapters: OpenADR webhook notifications", .serialized)
struct OpenADRWebhookTests {
    /// A running VEN webhook receiver on a free port.
    final class Receiver: @unchecked Sendable {
        let events: VENEvents
        let port: Int
        let token = "hook-\(UUID().uuidString)"
        let task: Task<Void, any Error>
        init(events: VENEvents = VENEvents()) async throws {
            self.events = events
            let hook = VENWebhook(token: token, events: events, port: 0)
            (port, task) = try await LoopbackServer.start { onRunning in try await hook.run(onRunning: onRunning) }
        }
        var url: URL { URL(string: "http://127.0.0.1:\(port)/notifications")! }

        func post(_ body: String, token: String? = nil) async throws -> Int {
            var r = HTTPClientRequest(url: url.absoluteString)
            r.method = .POST
            r.headers.add(name: "Content-Type", value: "application/json")
            r.headers.add(name: "Authorization", value: "Bearer \(token ?? self.token)")
            r.body = .bytes(ByteBuffer(string: body))
            return Int(try await HTTPClient.shared.execute(r, timeout: .seconds(10)).status.code)
        }

        /// Waits until `done` holds (notifications arrive asynchronously), at most 15 s.
        func wait(_ done: () -> Bool) async throws {
            for _ in 0..<150 where !done() { try await Task.sleep(nanoseconds: 100_000_000) }
        }
    }

    /// Our VEN (firm f03) subscribes to the park's VTN with a callback URL; the operator
    /// adds an override price, a dispatch for another firm, updates and deletes the override.
    /// The VEN hears of each change it may see without polling, in order, and its signals
    /// follow: the override while it exists, the run's λ again once it is deleted.
    @Test func theVTNNotifiesOurVEN() async throws {
        let vtn = try await ParkVTNFixture()
        defer { vtn.stop() }
        var settings = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(vtn.port)")!, clientID: "ven-f03", secret: "s3cret-f03",
                                          venName: "f03-ven")
        settings.scopes += " write_subscriptions"
        settings.programName = ParkVTN.programName
        let ven = try VENClient(settings)
        try await ven.register()
        #expect(try await ven.refresh().count == 2, "the park price and f03's dispatch")
        let hook = try await Receiver(events: ven.known)
        defer { hook.task.cancel() }
        let subscription = try await ven.subscribe(callbackURL: hook.url, bearerToken: hook.token)
        #expect(try await ven.subscribe(callbackURL: hook.url, bearerToken: hook.token) == subscription, "subscribing twice made two")

        let op = try await vtn.token("operator", "s3cret-op")
        let program = try #require(vtn.service.store.state.withLockedValue { $0.programs.first }?.value1.id)
        let start = "2025-06-01T00:15:00+08:00"
        func override(_ price: Double) -> String {
            #"{"programID": "\#(program)", "eventName": "override", "priority": 0, "intervalPeriod": {"start": "\#(start)", "duration": "PT15M"}, "intervals": [{"id": 0, "payloads": [{"type": "PRICE", "values": [\#(price)]}]}]}"#
        }
        let created = try await vtn.call(.POST, "/events", token: op, body: override(9.5))
        let id = try #require(created.json?["id"] as? String)
        let quarter = try #require(OpenADRDates.parse(start))
        func price() -> Double? {
            ven.knownSignals(from: quarter, to: quarter.addingTimeInterval(900)).first { $0.kind == .importPrice }?.value
        }
        try await hook.wait { price() == 9.5 }
        #expect(price() == 9.5, "the created override did not arrive")

        // f04's dispatch is not f03's business; the update after it arrives (in order) and wins.
        let other = #"{"programID": "\#(program)", "eventName": "f04-extra", "targets": ["f04"], "intervals": []}"#
        #expect(try await vtn.call(.POST, "/events", token: op, body: other).status == 201)
        #expect(try await vtn.call(.PUT, "/events/\(id)", token: op, body: override(7.25)).status == 200)
        try await hook.wait { price() == 7.25 }
        #expect(price() == 7.25)
        #expect(!hook.events.all.contains { $0.value2.eventName == "f04-extra" })

        #expect(try await vtn.call(.DELETE, "/events/\(id)", token: op).status == 200)
        try await hook.wait { price() == ParkVTNFixture.lambda[1] }
        #expect(price() == ParkVTNFixture.lambda[1], "the deleted override still counts")
        try await hook.wait { vtn.service.notifier.outcomes.withLockedValue { $0[subscription]?.delivered } == 3 }
        let outcome = vtn.service.notifier.outcomes.withLockedValue { $0[subscription] }
        #expect(outcome == VTNNotifier.Outcome(delivered: 3, failed: 0, lastError: nil))
    }

    /// A subscriber that is not there is given up on after three tries and logged; the
    /// others still get their notifications, and the operator's request is not held up.
    @Test func anUnreachableSubscriberDoesNotHoldUpTheOthers() async throws {
        let vtn = try await ParkVTNFixture(notificationTimeout: 1)
        defer { vtn.stop() }
        let hook = try await Receiver()
        defer { hook.task.cancel() }
        let f03 = try await vtn.token("ven-f03", "s3cret-f03")
        let dead = "http://127.0.0.1:9/gone"  // the discard port: nothing listens there
        for (url, token) in [(dead, "x"), (hook.url.absoluteString, hook.token)] {
            let body = #"{"clientName": "f03", "objectOperations": [{"objects": ["EVENT"], "operations": ["CREATE"], "callbackUrl": "\#(url)", "bearerToken": "\#(token)"}]}"#
            #expect(try await vtn.call(.POST, "/subscriptions", token: f03, body: body).status == 201)
        }
        let op = try await vtn.token("operator", "s3cret-op")
        let program = try #require(vtn.service.store.state.withLockedValue { $0.programs.first }?.value1.id)
        #expect(try await vtn.call(.POST, "/events", token: op, body: #"{"programID": "\#(program)", "eventName": "late", "intervals": []}"#).status == 201)
        try await hook.wait { hook.events.all.contains { $0.value2.eventName == "late" } }
        #expect(hook.events.all.contains { $0.value2.eventName == "late" })
        try await hook.wait { vtn.service.notifier.outcomes.withLockedValue { $0.values.contains { $0.failed == 1 } } }
        let outcomes = vtn.service.notifier.outcomes.withLockedValue { $0 }
        #expect(outcomes.values.contains { $0.failed == 1 && $0.lastError != nil && $0.delivered == 0 }, "\(outcomes)")
        #expect(outcomes.values.contains { $0.delivered == 1 && $0.failed == 0 }, "\(outcomes)")
    }

    static let event = """
        {"id": "e7", "created_date_time": "2025-06-01 10:00:00", "modification_date_time": "2025-06-01 10:05:00", "object_type": "EVENT",
         "program_id": "p1", "event_name": "peak", "priority": 0, "interval_period": {"start": "2025-06-02T09:00:00Z", "duration": "PT1H"},
         "intervals": [{"id": 0, "payloads": [{"type": "PRICE", "values": [2.5]}]}]}
        """

    static func notification(_ operation: String, modified: String = "2025-06-01 10:05:00", price: Double = 2.5) -> String {
        let e = event.replacingOccurrences(of: "\"modification_date_time\": \"2025-06-01 10:05:00\"", with: "\"modification_date_time\": \"\(modified)\"")
            .replacingOccurrences(of: "[2.5]", with: "[\(price)]")
        return #"{"object_type": "EVENT", "operation": "\#(operation)", "object": \#(e)}"#
    }

    /// What real VTNs send: snake_case keys, zone-less times, the body or the object encoded
    /// twice. Repeats are taken once; an update older than the one held, and a create after
    /// the delete, are ignored. Bad bodies get 400 naming the fault; a wrong token 401.
    @Test func theVENReadsWhatRealServersSend() async throws {
        let hook = try await Receiver()
        defer { hook.task.cancel() }
        func quoted(_ s: String) -> String { String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self) }
        #expect(try await hook.post(Self.notification("CREATE")) == 200)
        #expect(hook.events.all.map(\.value2.programID) == ["p1"])
        #expect(hook.events.all.first?.value2.intervalPeriod?.duration == "PT1H")
        #expect(hook.events.upsert(hook.events.all[0]) == .duplicate)
        // The whole body as a JSON string; then only the object as a string.
        #expect(try await hook.post(quoted(Self.notification("UPDATE", modified: "2025-06-01 11:00:00", price: 3.0))) == 200)
        #expect(hook.events.all.first?.value2.intervals?.first?.payloads.first?.values.first?.value1 == 3.0)
        let objectAsString = #"{"objectType": "EVENT", "operation": "UPDATE", "object": \#(quoted(Self.event.replacingOccurrences(of: "10:05:00", with: "10:30:00")))}"#
        #expect(try await hook.post(objectAsString) == 200)
        #expect(hook.events.all.first?.value2.intervals?.first?.payloads.first?.values.first?.value1 == 3.0, "an older update overrode a newer one")

        #expect(try await hook.post(Self.notification("DELETE", modified: "2025-06-01 11:00:00")) == 200)
        #expect(hook.events.all.isEmpty)
        #expect(try await hook.post(Self.notification("CREATE")) == 200)
        #expect(hook.events.all.isEmpty, "a create older than the delete brought the event back")

        #expect(try await hook.post(Self.notification("CREATE"), token: "guess") == 401)
        #expect(try await hook.post("{not json") == 400)
        #expect(try await hook.post(#"{"objectType": "EVENT", "operation": "CREATE"}"#) == 400)
        #expect { _ = try OpenADRNotification.decode(Data(#"{"objectType": "EVENT", "operation": "CREATE"}"#.utf8)) }
            throws: { $0 is OpenADRNotification.ReadError && "\($0)".contains("object is missing") }
        // A notification about something else is read and changes nothing.
        #expect(try await hook.post(#"{"objectType": "PROGRAM", "operation": "CREATE", "object": {"id": "p9", "createdDateTime": "2025-06-01T00:00:00Z", "modificationDateTime": "2025-06-01T00:00:00Z", "objectType": "PROGRAM", "programName": "x"}}"#) == 200)
        #expect(hook.events.all.isEmpty)
    }
}
