@testable import Adapters
import DataFiles
import Foundation
import NIOConcurrencyHelpers
import RunHistory
import Testing
import TestSupport

/// The CEM instructs each step of the plan and each new plan, not only once per connection.
@Suite("Adapters: the S2 CEM follows the plan step by step and re-plan by re-plan", .serialized)
struct S2FollowTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// The battery's plan: four quarter-hours from a minute before `t0`.
    static func setpoints(_ powerKW: [Double], start: Date = t0.addingTimeInterval(-60)) -> [Setpoint] {
        powerKW.enumerated().map { Setpoint(asset: "f03_bat", step: $0.offset, time: start.addingTimeInterval(Double($0.offset) * 900),
                                            seconds: 900, powerKW: $0.element) }
    }

    /// FRBC: described at t0 → the first step's instruction; a refresh within the step sends
    /// nothing; the next step → its instruction; a new plan changing the step in effect → a new
    /// instruction, the unacknowledged one logged as superseded. PEBC: a new step sends
    /// nothing (the envelope covers the rest of the plan), a new plan sends its envelope.
    @Test func sessionsInstructEachStepAndEachNewPlan() throws {
        let now = NIOLockedValueBox(Self.t0)
        let source = S2PlanSource(run: 1, setpoints: Self.setpoints([1.5, -2, 0, 0.5]))
        let s = S2Session(resources: S2Tests.resources, plan: { source.plan(for: $0) }, now: { now.withLockedValue { $0 } })
        _ = s.receive(#"{"message_type": "ResourceManagerDetails", "message_id": "m1", "name": "battery", "roles": [{"role": "ENERGY_STORAGE", "commodity": "ELECTRICITY"}], "available_control_types": ["FILL_RATE_BASED_CONTROL"]}"#)
        #expect(s.refresh().send.isEmpty, "nothing to instruct before the system description")
        let described = s.receive("""
            {"message_type": "FRBC.SystemDescription", "message_id": "m2", "actuators": [{"id": "act", "operation_modes": [{"id": "mode",
             "elements": [{"power_ranges": [{"start_of_range": -5000.0, "end_of_range": 5000.0}]}]}]}]}
            """)
        func factor(_ frames: [String]) -> Double? {
            frames.map(S2Tests.frame).first { $0["message_type"] as? String == "FRBC.Instruction" }?["operation_mode_factor"] as? Double
        }
        #expect(factor(described.send) == 0.65)   // (1500 + 5000) / 10000
        #expect(s.refresh().send.isEmpty)
        now.withLockedValue { $0 = Self.t0.addingTimeInterval(600) }
        #expect(s.refresh().send.isEmpty, "still the first step")
        now.withLockedValue { $0 = Self.t0.addingTimeInterval(900) }
        let next = s.refresh()
        #expect(factor(next.send) == 0.3)   // (−2000 + 5000) / 10000
        #expect(next.events.map(\.kind) == ["superseded", "instructed"])
        let id = S2Tests.frame(next.send[0])["message_id"] as? String ?? ""
        _ = s.receive(#"{"message_type": "ReceptionStatus", "subject_message_id": "\#(id)", "status": "OK"}"#)
        // A re-plan from the second step: 2.5 kW now.
        let runs = try Self.runStore([(1, Self.setpoints([1.5, -2, 0, 0.5])),
                                      (2, Self.setpoints([2.5, 1], start: Self.t0.addingTimeInterval(840)))])
        #expect(try source.adoptNewest(from: runs, scenario: nil, at: now.withLockedValue { $0 }) == 2 && source.run == 2)
        #expect(try source.adoptNewest(from: runs, scenario: nil, at: now.withLockedValue { $0 }) == nil, "run 2 is in force already")
        let replanned = s.refresh()
        #expect(factor(replanned.send) == 0.75)   // (2500 + 5000) / 10000
        #expect(replanned.events.map(\.kind) == ["instructed"])

        // A power envelope: only a new plan sends one.
        now.withLockedValue { $0 = Self.t0 }
        let envelopes = S2PlanSource(run: 1, setpoints: Self.setpoints([3, 3, 0, 0]).map { var p = $0; p.asset = "f04_batch"; return p })
        let e = S2Session(resources: S2Tests.resources, plan: { envelopes.plan(for: $0) }, now: { now.withLockedValue { $0 } })
        _ = e.receive(#"{"message_type": "ResourceManagerDetails", "message_id": "m1", "name": "shiftable-process", "roles": [{"role": "ENERGY_CONSUMER", "commodity": "ELECTRICITY"}], "available_control_types": ["POWER_ENVELOPE_BASED_CONTROL"]}"#)
        #expect(e.receive(#"{"message_type": "PEBC.PowerConstraints", "message_id": "m2", "id": "c1"}"#).send.count == 2)
        now.withLockedValue { $0 = Self.t0.addingTimeInterval(900) }
        #expect(e.refresh().send.isEmpty, "the envelope covers the rest of the plan")
        let newer = try Self.runStore([(1, Self.setpoints([3, 3, 0, 0])), (2, Self.setpoints([0, 3, 3], start: Self.t0.addingTimeInterval(840)))], asset: "f04_batch")
        #expect(try envelopes.adoptNewest(from: newer, scenario: nil, at: now.withLockedValue { $0 }) == 2)
        let envelope = S2Tests.frame(try #require(e.refresh().send.first))
        #expect(envelope["message_type"] as? String == "PEBC.Instruction")
        let elements = (envelope["power_envelopes"] as? [[String: Any]])?.first?["power_envelope_elements"] as? [[String: Any]] ?? []
        #expect(elements.compactMap { $0["upper_limit"] as? Double } == [0, 3000, 3000], "the re-plan's three steps from the one in effect")
        // From now (t0 + 15 min) on: what is left of the step that began at t0 + 14 min, then whole steps.
        #expect(elements.compactMap { ($0["duration"] as? NSNumber)?.intValue } == [840_000, 900_000, 900_000])
        #expect(envelope["execution_time"] as? String == S2Messages.time(Self.t0.addingTimeInterval(900)))
    }

    /// With half an hour ahead, the battery gets each step beginning within 30 minutes at
    /// once, each executed at its step's start; the next step's as the window moves on; and a
    /// re-plan revokes (RevokeObject) the instructions sent ahead that it changes or drops,
    /// keeps those it leaves alone, and instructs the changed steps again.
    @Test func instructionsGoOutAheadAndARePlanRevokesWhatItChanges() throws {
        let now = NIOLockedValueBox(Self.t0)
        var resources = S2Tests.resources
        resources["battery"]?.aheadSeconds = 1800
        let source = S2PlanSource(run: 1, setpoints: Self.setpoints([1.5, -2, 0, 0.5]))
        let s = S2Session(resources: resources, plan: { source.plan(for: $0) }, now: { now.withLockedValue { $0 } })
        _ = s.receive(#"{"message_type": "ResourceManagerDetails", "message_id": "m1", "name": "battery", "roles": [{"role": "ENERGY_STORAGE", "commodity": "ELECTRICITY"}], "available_control_types": ["FILL_RATE_BASED_CONTROL"]}"#)
        let described = s.receive("""
            {"message_type": "FRBC.SystemDescription", "message_id": "m2", "actuators": [{"id": "act", "operation_modes": [{"id": "mode",
             "elements": [{"power_ranges": [{"start_of_range": -5000.0, "end_of_range": 5000.0}]}]}]}]}
            """)
        func frames(_ out: S2Session.Output, _ type: String) -> [[String: Any]] {
            out.send.map(S2Tests.frame).filter { $0["message_type"] as? String == type }
        }
        func acknowledgeAll(_ out: S2Session.Output) -> [String] {
            out.send.map(S2Tests.frame).compactMap { $0["message_id"] as? String }.flatMap { id in
                s.receive(#"{"message_type": "ReceptionStatus", "subject_message_id": "\#(id)", "status": "OK"}"#).events.map(\.kind)
            }
        }
        // Steps begin at t0 − 1 min, t0 + 14, t0 + 29 and t0 + 44 min: the first three are within 30 minutes.
        var sent = frames(described, "FRBC.Instruction")
        #expect(sent.compactMap { $0["operation_mode_factor"] as? Double } == [0.65, 0.3, 0.5])
        #expect(sent.compactMap { $0["execution_time"] as? String }
                == [Self.t0, Self.t0.addingTimeInterval(840), Self.t0.addingTimeInterval(1740)].map(S2Messages.time))
        let ahead = sent.compactMap { $0["id"] as? String }
        #expect(Set(ahead).count == 3)
        #expect(described.events.map(\.kind).filter { $0 == "instructed" }.count == 3)
        #expect(acknowledgeAll(described).filter { $0 == "acknowledged" }.count == 3 && s.acknowledged.count == 3)
        #expect(s.refresh().send.isEmpty, "everything within the window is instructed")

        now.withLockedValue { $0 = Self.t0.addingTimeInterval(900) }
        let moved = s.refresh()
        sent = frames(moved, "FRBC.Instruction")
        #expect(sent.compactMap { $0["operation_mode_factor"] as? Double } == [0.55], "the fourth step enters the window")
        #expect(sent.first?["execution_time"] as? String == S2Messages.time(Self.t0.addingTimeInterval(2640)))
        #expect(moved.events.map(\.kind) == ["instructed"])
        _ = acknowledgeAll(moved)

        // A re-plan from the second step: 2.5 kW now, 1 kW next (was 0), 0.5 kW after (unchanged).
        let runs = try Self.runStore([(1, Self.setpoints([1.5, -2, 0, 0.5])),
                                      (2, Self.setpoints([2.5, 1, 0.5], start: Self.t0.addingTimeInterval(840)))])
        #expect(try source.adoptNewest(from: runs, scenario: nil, at: now.withLockedValue { $0 }) == 2)
        let replanned = s.refresh()
        let revoke = frames(replanned, "RevokeObject")
        #expect(revoke.count == 1 && revoke.first?["object_id"] as? String == ahead[2] && revoke.first?["object_type"] as? String == "FRBC.Instruction",
                "the third step's instruction, sent ahead with 0 kW, is withdrawn")
        sent = frames(replanned, "FRBC.Instruction")
        #expect(sent.compactMap { $0["operation_mode_factor"] as? Double } == [0.75, 0.6])
        #expect(sent.compactMap { $0["execution_time"] as? String }
                == [Self.t0.addingTimeInterval(900), Self.t0.addingTimeInterval(1740)].map(S2Messages.time))
        #expect(replanned.events.map(\.kind) == ["revoking", "instructed", "instructed"])
        #expect(acknowledgeAll(replanned) == ["revoked", "acknowledged", "acknowledged"])
        #expect(s.pendingInstruction == nil)

        // A shorter re-plan drops the fourth step: its instruction is revoked, nothing is sent anew.
        let shorter = try Self.runStore([(1, Self.setpoints([1.5, -2, 0, 0.5])), (2, Self.setpoints([2.5, 1, 0.5], start: Self.t0.addingTimeInterval(840))),
                                         (3, Self.setpoints([2.5, 1], start: Self.t0.addingTimeInterval(840)))])
        #expect(try source.adoptNewest(from: shorter, scenario: nil, at: now.withLockedValue { $0 }) == 3)
        let dropped = s.refresh()
        #expect(dropped.send.map(S2Tests.frame).compactMap { $0["message_type"] as? String } == ["RevokeObject"])
        #expect(dropped.events.first?.message.contains("no longer holds") == true)

        // A re-plan within half a watt sends nothing; one without the asset revokes what was sent ahead (the third step).
        #expect(try source.adoptNewest(from: Self.runStore([(1, Self.setpoints([2.5, 1])), (2, Self.setpoints([2.5, 1])), (3, Self.setpoints([2.5, 1])),
                                                            (4, Self.setpoints([2.5, 1.0000001], start: Self.t0.addingTimeInterval(840)))]),
                                        scenario: nil, at: now.withLockedValue { $0 }) == 4)
        #expect(s.refresh().send.isEmpty, "a re-plan within half a watt changes nothing")
        let withoutAsset = try Self.runStore([(1, Self.setpoints([2.5, 1])), (2, Self.setpoints([2.5, 1])), (3, Self.setpoints([2.5, 1])),
                                              (4, Self.setpoints([2.5, 1])), (5, Self.setpoints([2.5, 1], start: Self.t0.addingTimeInterval(840)))],
                                             asset: "f05_other")
        #expect(try source.adoptNewest(from: withoutAsset, scenario: nil, at: now.withLockedValue { $0 }) == 5)
        let gone = s.refresh()
        #expect(gone.send.map(S2Tests.frame).compactMap { $0["message_type"] as? String } == ["RevokeObject"])
    }

    /// Tomorrow's plan recorded today waits while today's plan holds the present, and takes
    /// over once today's has ended.
    @Test func aPlanForLaterWaitsWhileThePlanInForceHoldsThePresent() throws {
        let source = S2PlanSource(run: 1, setpoints: Self.setpoints([1.5, -2, 0, 0.5]))
        let runs = try Self.runStore([(1, Self.setpoints([1.5, -2, 0, 0.5])),
                                      (2, Self.setpoints([3, 3], start: Self.t0.addingTimeInterval(86_400)))])
        #expect(try source.adoptNewest(from: runs, scenario: nil, at: Self.t0) == nil && source.run == 1)
        #expect(try source.adoptNewest(from: runs, scenario: nil, at: Self.t0.addingTimeInterval(600)) == nil && source.run == 1)
        // Run 1's four quarter-hours end at t0 + 59 min: run 2 takes over, to be instructed when it begins.
        #expect(try source.adoptNewest(from: runs, scenario: nil, at: Self.t0.addingTimeInterval(3600)) == 2 && source.run == 2)
        #expect(source.plan(for: "f03_bat")?.powerW == [3000, 3000])
    }

    /// s2-python's battery against the CEM on a simulated clock: the first step's instruction
    /// on connecting, the next step's when the test moves the clock a quarter-hour on, and the
    /// re-plan's when a newer plan takes over; all three acknowledged, in that order.
    @Test(.requires("S2FollowTests/aBatteryGetsEachStepAndTheReplan", .s2Peer))
    func aBatteryGetsEachStepAndTheReplan() async throws {
        let t0 = Date(timeIntervalSince1970: Date().addingTimeInterval(-30).timeIntervalSince1970.rounded(.down))
        let clock = SimulatedClock(start: t0)
        let plans = NIOLockedValueBox(Self.setpoints([1.5, -2, 0, 0.5], start: t0.addingTimeInterval(-60)))
        let (cem, server, battery) = try await Self.battery(S2Tests.resources, plans: plans, clock: clock, ["--instructions", "3"])
        defer { server.cancel() }
        func acknowledged(_ count: Int) async throws {
            for _ in 0..<400 where cem.acknowledged.withLockedValue({ $0["battery"] ?? 0 }) < count {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            #expect(cem.acknowledged.withLockedValue { $0["battery"] ?? 0 } == count)
        }
        /// Until the session's refresh waits again on the clock.
        func refresherWaits() async throws {
            for _ in 0..<400 where !(clock.nextWakeUp.map { $0 > clock.now } ?? false) { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        try await acknowledged(1)
        try await refresherWaits()
        clock.advance(by: 900)
        try await acknowledged(2)
        plans.withLockedValue { $0 = Self.setpoints([2.5, 1], start: t0.addingTimeInterval(840)) }
        try await refresherWaits()
        clock.advance(by: 5)
        try await acknowledged(3)
        let result = try await battery.value
        #expect(result.status == 0, "\(result.err)")
        let planned = S2Tests.frame(result.out)["planned_power_w"] as? [Double] ?? []
        #expect(planned.count == 3 && zip(planned, [1500, -2000, 2500]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(result.out)")
    }

    /// s2-python's battery with instructions half an hour ahead: three on connecting (the
    /// step in effect and the two beginning within 30 minutes), then a re-plan revokes the two
    /// sent ahead that it changes and sends their replacements. What the battery holds in the
    /// end is the old plan's present step and the re-plan's two steps, at their starts.
    @Test(.requires("S2FollowTests/aBatteryHoldsInstructionsAheadAndTheirRevocations", .s2Peer))
    func aBatteryHoldsInstructionsAheadAndTheirRevocations() async throws {
        let t0 = Date(timeIntervalSince1970: Date().addingTimeInterval(-30).timeIntervalSince1970.rounded(.down))
        let clock = SimulatedClock(start: t0)
        let plans = NIOLockedValueBox(Self.setpoints([1.5, -2, 0, 0.5], start: t0.addingTimeInterval(-60)))
        var resources = S2Tests.resources
        resources["battery"]?.aheadSeconds = 1800
        let (cem, server, battery) = try await Self.battery(resources, plans: plans, clock: clock, ["--instructions", "5", "--revocations", "2"])
        defer { server.cancel() }
        for _ in 0..<400 where cem.acknowledged.withLockedValue({ $0["battery"] ?? 0 }) < 3 { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(cem.acknowledged.withLockedValue { $0["battery"] ?? 0 } == 3)
        for _ in 0..<400 where !(clock.nextWakeUp.map { $0 > clock.now } ?? false) { try await Task.sleep(nanoseconds: 10_000_000) }
        plans.withLockedValue { $0 = Self.setpoints([2.5, 1, 0.5], start: t0.addingTimeInterval(840)) }
        clock.advance(by: 5)
        let result = try await battery.value
        #expect(result.status == 0, "\(result.err)")
        let out = S2Tests.frame(result.out)
        #expect((out["revoked"] as? [String])?.count == 2)
        let held = out["in_force"] as? [[String: Any]] ?? []
        let power = held.compactMap { $0["planned_power_w"] as? Double }
        #expect(power.count == 3 && zip(power, [1500, 2500, 1000]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(result.out)")
        let times = held.compactMap { ($0["execution_time"] as? String).flatMap(S2Messages.parseTime) }
        #expect(times.count == 3 && zip(times, [t0, t0.addingTimeInterval(840), t0.addingTimeInterval(1740)])
                    .allSatisfy { abs($0.timeIntervalSince($1)) < 1e-3 }, "\(result.out)")
    }
}

extension S2FollowTests {
    /// A CEM on `clock` instructing from `plans` (refreshed every 5 s) and s2-python's battery
    /// connected to it with `arguments` besides its URL, name, token and the clock's time.
    static func battery(_ resources: [String: S2Session.Resource], plans: NIOLockedValueBox<[Setpoint]>, clock: SimulatedClock,
                        _ arguments: [String]) async throws
        -> (cem: S2CEMServer, server: Task<Void, any Error>, battery: Task<(status: Int32, out: String, err: String), any Error>) {
        var cem = S2CEMServer(resources: resources, plan: { asset in S2Plan.from(plans.withLockedValue { $0 }, asset: asset) },
                              store: nil, port: 0, clock: clock)
        cem.refreshSeconds = 5
        let (port, server) = try await S2Tests.serve(cem)
        let now = clock.now
        let battery = Task {
            try await S2Peer.run("s2_battery_rm.py", ["--url", "ws://127.0.0.1:\(port)/ws/battery", "--name", "battery",
                                                      "--bearer-token", S2Tests.token("battery"), "--now", S2Messages.time(now),
                                                      "--timeout", "40"] + arguments)
        }
        return (cem, server, battery)
    }

    /// An SQLite run history holding one optimal run per entry (ids in order), each
    /// planning `asset`'s charge (kW) at its setpoints' times.
    static func runStore(_ runs: [(id: Int, setpoints: [Setpoint])], asset: String = "f03_bat") throws -> SQLiteRunStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-s2f-\(UUID().uuidString).sqlite").path
        let store = try SQLiteRunStore(path: path)
        for (_, setpoints) in runs {
            let times = setpoints.map { ISO8601Formatting.string($0.time) }
            let schedule = setpoints.map { (step: $0.step, owner: "f03", asset: asset, variable: "charge_kW", value: $0.powerKW) }
            _ = try store.record(RunRecord(
                scenario: "s", scenarioHash: "h", scenarioDirectory: "/s", startedAt: Date(), finishedAt: Date(), programVersion: "t",
                solverSettings: "{}", status: "optimal", objective: 1, valueOfCluster: 0, parkResidual: 0, rows: 1, columns: 1,
                nonzeros: 1, iterations: 1, solveSeconds: 0, outputDirectory: "/o", resultDigest: "d", parts: [:],
                prices: times.enumerated().map { ($0.offset, $0.element, 0.2, 0.3, 0.1) }, firms: [], schedule: schedule, forecasts: [],
                times: times, stepSeconds: 900, conflicts: []))
        }
        return store
    }
}
