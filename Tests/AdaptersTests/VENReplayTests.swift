@testable import Adapters
import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import Testing
import TestSupport

/// Our VEN against canned answers in the shape real VTNs give, which the spec does not
/// allow but a VEN must read: times without a zone (with a space or a `T`), the date-only
/// "now", an unknown field, and a token response without `expires_in`.
@Suite("Adapters: our VEN against a replayed exchange")
struct VENReplayTests {
    static let program = #"[{"id": "p1", "createdDateTime": "2025-06-01 10:00:00", "modificationDateTime": "2025-06-01 10:00:00", "objectType": "PROGRAM", "programName": "tariff", "retailerName": "extra field"}]"#
    static let events = """
        [{"id": "e1", "createdDateTime": "2025-06-01 10:00:00", "modificationDateTime": "2025-06-01 10:05:00.123456", "objectType": "EVENT",
          "programID": "p1", "eventName": "peak", "priority": 0,
          "intervalPeriod": {"start": "2025-06-02T09:00:00", "duration": "PT1H"},
          "intervals": [{"id": 0, "payloads": [{"type": "PRICE", "values": [2.5]}]},
                        {"id": 1, "payloads": [{"type": "IMPORT_CAPACITY_LIMIT", "values": [40000]}]}]},
         {"id": "e2", "createdDateTime": "0001-01-01", "modificationDateTime": "2025-06-01 10:00:00", "objectType": "EVENT",
          "programID": "p1", "intervalPeriod": {"start": "2025-06-02 10:00:00", "duration": "PT30M"},
          "intervals": [{"id": 0, "payloads": [{"type": "GHG", "values": [610]}]}]}]
        """

    @Test func zoneLessTimesAndExtraFieldsAreRead() async throws {
        let router = Router()
        let hits = NIOLockedValueBox<[String]>([])
        @Sendable func json(_ s: String) -> Response {
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: s)))
        }
        router.post("auth/token") { _, _ in hits.withLockedValue { $0.append("token") }; return json(#"{"access_token": "t0k", "token_type": "Bearer"}"#) }
        router.get("vens") { _, _ in json(#"[{"id": "v1", "createdDateTime": "2025-06-01 09:00:00", "modificationDateTime": "2025-06-01 09:00:00", "objectType": "VEN", "clientID": "c", "venName": "park"}]"#) }
        router.get("programs") { request, _ in
            hits.withLockedValue { $0.append(request.headers[.authorization] ?? "-") }
            return json(Self.program)
        }
        router.get("events") { _, _ in json(Self.events) }
        let (port, server) = try await IndependentVTN.serve(router)
        defer { server.cancel() }

        var settings = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(port)")!, clientID: "c", secret: "s", venName: "park")
        settings.tokenURL = URL(string: "http://127.0.0.1:\(port)/auth/token")
        settings.programName = "tariff"
        let ven = try VENClient(settings)
        #expect(try await ven.register() == "v1")
        let day = try #require(OpenADRDates.parse("2025-06-02T00:00:00Z"))
        let signals = try await ven.signals(from: day, to: day.addingTimeInterval(86400))
        // Zone-less times are UTC: the price hour starts at 09:00Z, the limit follows at 10:00Z.
        #expect(signals.first { $0.kind == .importPrice } == Signal(kind: .importPrice, start: day.addingTimeInterval(9 * 3600),
                                                                      end: day.addingTimeInterval(10 * 3600), value: 2.5))
        #expect(signals.first { $0.kind == .importLimit }?.start == day.addingTimeInterval(10 * 3600))
        #expect(signals.first { $0.kind == .carbonIntensity }.map { ($0.value, $0.end.timeIntervalSince($0.start)) } ?? (0, 0) == (0.61, 1800))
        #expect(hits.withLockedValue { $0 }.contains("Bearer t0k"))
        #expect(OpenADRDates.parse("2025-06-02 09:00:00") == nil, "the VTN itself stays strict")
    }
}
