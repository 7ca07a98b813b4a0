@testable import Adapters
import Foundation
import OpenADRAPI
import Testing

/// The VTN's state file: VENs, subscriptions and events survive a restart, ids go on
/// counting, publishing the next run replaces the earlier run's events in the same program,
/// and a damaged file is an error naming it.
@Suite("Adapters: the VTN's state across restarts")
struct VTNStateTests {
    @Test func stateSurvivesARestart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-vtn-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("vtn-state.json").path
        let auth = VTNAuth(clients: [.init(id: "ven-f03", secret: "s3cret-f03", scopes: ["read_targets", "write_vens", "write_subscriptions"], targets: ["f03"],
                                           callbackHosts: ["127.0.0.1"])])
        let grant = try #require(auth.standingGrant("ven-f03"))

        let first = try VTNService(auth: auth, stateFile: file)
        try ParkVTN.publish(ParkVTNFixture.run, runID: 7, currency: "CNY", into: first)
        try await VTNContext.$grant.withValue(grant) {
            _ = try await first.createVen(.init(body: .json(.VenVenRequest(.init(objectType: "VEN_VEN_REQUEST", venName: "f03-ven")))))
            _ = try await first.createSubscription(.init(body: .json(.init(clientName: "f03-ven", objectOperations: [
                .init(objects: [.event], operations: [.create], callbackUrl: "http://127.0.0.1:9/hook")]))))
        }
        let before = first.store.state.withLockedValue { $0 }

        let second = try VTNService(auth: auth, stateFile: file)
        let after = second.store.state.withLockedValue { $0 }
        #expect(after.vens.map(\.value2.venName) == ["f03-ven"] && after.subscriptions.count == 1)
        // Compared as JSON: a whole number read back fills both arms of the payload's anyOf.
        func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try VTNNotifier.encoder.encode(v), as: UTF8.self) }
        #expect(try json(after.events) == json(before.events) && after.programs == before.programs)
        #expect(after.next == before.next)

        try ParkVTN.publish(ParkVTNFixture.run, runID: 8, currency: "CNY", into: second)
        let republished = second.store.state.withLockedValue { $0 }
        #expect(republished.programs.count == 1, "the park program was made twice")
        #expect(republished.events.count == before.events.count && republished.events.allSatisfy { $0.value2.eventName?.hasSuffix("-run-8") == true })
        #expect(Set(republished.events.map(\.value1.id)).isDisjoint(with: before.events.map(\.value1.id)), "ids were reused")
        #expect(try json(VTNService(auth: auth, stateFile: file).store.state.withLockedValue { $0.events }) == json(republished.events))

        try Data("{\"programs\": 3}".utf8).write(to: URL(fileURLWithPath: file))
        #expect { _ = try VTNService(auth: auth, stateFile: file) } throws: { "\($0)".contains("vtn-state.json") }
    }
}
