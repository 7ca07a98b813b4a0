import Adapters
import DataFiles
import Foundation
import Logging
import ParkModel
import RunHistory

/// The park operated through the day (`flexdispatch operate`): a re-plan every
/// `everyMinutes` of the clock (at the period's multiples since 1970 UTC) and at once on an event — a battery
/// off its plan by more than the threshold (``PlanDeviation``), a price or limit change
/// from the VTN within the horizon — each one a run in the history that replaces the plan
/// in force (``Replanning``, soft limits, state from the measurement store). An optimal plan
/// is published at once through the sinks and then step by step as time passes; a cycle
/// that fails or does not reach an optimal plan (the solver stops at `cycleSeconds`) leaves
/// the previous plan in force and says so, and while a cycle runs past `cycleSeconds` the
/// log says that the previous plan is still in force. When no plan holds the present — the
/// plan in force has ended, or none came out of the first cycle — the sinks' assets are
/// handed back to their own control (``OperateConfig/Fallback``) once (again while a release
/// fails), until a plan holds it again. Started again, the service resumes the newest optimal plan of the scenario in the
/// history that holds the present.
///
/// ```swift
/// let config = try OperateConfig.read(path: "operate.json")
/// let service = try ParkOperator(config: config, sinks: [])
/// try await service.run { false }
/// ```
public final class ParkOperator: @unchecked Sendable {
    /// One cycle: when and why it ran, the run it made and what became of it.
    public struct Cycle: Sendable {
        public var at: Date
        /// Why: "scheduled", "start", or the event.
        public var reason: String
        public var runID: Int64?
        /// The solve's status, or "failed" when the cycle stopped before solving.
        public var status: String
        public var objective: Double?
        public var breaches: [Breach]
        /// Whether the plan went into force (optimal).
        public var adopted: Bool
        /// Wall-clock seconds the cycle took.
        public var seconds: Double
        /// What the log says of it.
        public var message: String
    }

    /// What the service has done so far.
    public struct Status: Sendable {
        /// The cycles so far (the newest thousand).
        public var cycles: [Cycle] = []
        /// The run in force (the last adopted, or the one resumed).
        public var inForce: Int64?
        /// The run resumed from the history at start.
        public var resumed: Int64?
        /// Whether a cycle is being solved.
        public var cycling = false
        /// The steps sent (the newest thousand): the run, the step and the sinks' receipts.
        public var sent: [(runID: Int64, step: Int, receipts: [SetpointReceipt])] = []
        /// The times no plan held the present and the devices were released (the newest
        /// thousand), with the sinks' receipts.
        public var released: [(at: Date, receipts: [SetpointReceipt])] = []
    }

    struct Plan {
        var runID: Int64
        var detail: RunDetail
        var setpoints: [Setpoint]
    }

    public let config: OperateConfig
    let sinks: [any SetpointSink]
    let clock: any AdapterClock
    let logger: Logger
    let signals: PriceEvents?
    private let lock = NSLock()
    private var current = Status()

    /// `sinks` receive every plan put in force (`SetpointSinks(feedConfig).sinks`); `clock`
    /// is the time the service runs on (a simulation passes a `SimulatedClock`).
    public init(config: OperateConfig, sinks: [any SetpointSink], clock: any AdapterClock = WallClock(),
                logger: Logger = Logger(label: "flexdispatch.operate")) throws {
        self.config = config
        self.sinks = sinks
        self.clock = clock
        self.logger = logger
        signals = try config.ven.map { try PriceEvents(venPath: $0, scenarioDirectory: config.scenario, basePath: config.out + "-signals-base.csv") }
    }

    /// What the service has done so far.
    public var status: Status { lock.withLock { current } }

    private func update(_ change: (inout Status) -> Void) { lock.withLock { change(&current) } }

    /// Runs until `shouldStop` returns true (checked at least every `pollSeconds` of the
    /// clock) or the task is cancelled. A running cycle is waited for before it returns.
    /// - Throws: when the scenario or the run history cannot be opened at start.
    public func run(shouldStop: @escaping @Sendable () -> Bool) async throws {
        try await withTaskExecutorPreference(FeedExecutor.shared) { try await loop(shouldStop: shouldStop) }
    }

    private func loop(shouldStop: @escaping @Sendable () -> Bool) async throws {
        let store = try RunStores.open(config.database)
        var scenario = try DailyBatch.read(config.scenario, forecastFlagged: false)
        var plan = try resume(scenario, store: store)
        let wakes = WakeSignal()
        let finished = LockedResult()
        var running: (started: Date, reason: String, overdueSaid: Bool)?
        var nextCycle = clock.now, lastEvent = Date.distantPast, lastEventCheck = Date.distantPast
        var pending: String? = "start"
        var sentStep: (Int64, Int)?
        var fellBack = false
        while !shouldStop() && !Task.isCancelled {
            let now = clock.now
            if let outcome = finished.take(), running != nil {
                let adopted = adopt(outcome, previous: plan, store: store)
                if let p = adopted.plan { plan = p; sentStep = nil }
                if let s = try? DailyBatch.read(config.scenario, forecastFlagged: false) { scenario = s }
                update {
                    $0.cycles.append(adopted.cycle)
                    $0.inForce = plan?.runID
                    $0.cycling = false
                    if $0.cycles.count > Self.kept { $0.cycles.removeFirst($0.cycles.count - Self.kept) }
                }
                running = nil
            }
            if var r = running, !r.overdueSaid, now.timeIntervalSince(r.started) > config.cycleSeconds {
                let keep = plan.map { "run \($0.runID) stays in force" } ?? "no plan is in force"
                logger.warning("the cycle started at \(ISO8601Formatting.string(r.started)) (\(r.reason)) has not finished in \(Int(config.cycleSeconds)) s; \(keep)")
                r.overdueSaid = true
                running = r
            }
            if running == nil, now.timeIntervalSince(lastEventCheck) >= config.pollSeconds,
               now.timeIntervalSince(lastEvent) >= config.minGapMinutes * 60, pending == nil {
                lastEventCheck = now
                pending = await event(plan: plan, scenario: scenario, at: now)
                if pending != nil { lastEvent = now }
            }
            if running == nil, now >= nextCycle || pending != nil, !shouldStop() {
                let reason = pending ?? "scheduled"
                pending = nil
                running = (now, reason, false)
                update { $0.cycling = true }
                nextCycle = Self.boundary(after: now, minutes: config.everyMinutes)
                logger.info("cycle at \(ISO8601Formatting.string(now)) (\(reason))")
                let replaces = plan.flatMap { p in RunSetpoints.step(at: now, in: p.setpoints) != nil ? p.runID : nil }
                Task.detached { [self] in
                    let result = cycle(at: now, reason: reason, replaces: replaces)
                    finished.put(result)
                    wakes.signal()
                }
            }
            if let p = plan, let k = RunSetpoints.step(at: now, in: p.setpoints), sentStep.map({ $0 != (p.runID, k) }) ?? true {
                let receipts = await send(p, step: k)
                sentStep = (p.runID, k)
                update {
                    $0.sent.append((p.runID, k, receipts))
                    if $0.sent.count > Self.kept { $0.sent.removeFirst($0.sent.count - Self.kept) }
                }
            }
            // No plan holds the present: once, until one does (again at the next look while a
            // release fails). At a start without a plan the first cycle is waited for (for its
            // budget) before the devices are released.
            let holds = plan.flatMap { RunSetpoints.step(at: now, in: $0.setpoints) } != nil
            if holds {
                fellBack = false
            } else if !fellBack, plan != nil || running == nil || running?.overdueSaid == true {
                fellBack = await fallBack(at: now, ended: plan, scenario: scenario.name, store: store)
            }
            let untilStep = plan.flatMap { p in p.setpoints.map(\.end).filter { $0 > now }.min()?.timeIntervalSince(now) } ?? .infinity
            // While a cycle runs, the next one waits for it: its time does not shorten the wait.
            let untilCycle = running == nil ? nextCycle.timeIntervalSince(now) : .infinity
            let wait = max(0.001, min(config.pollSeconds, untilCycle, untilStep))
            if shouldStop() { break }
            try await sleep(seconds: wait, orUntil: wakes)
        }
        // A cycle still solving when asked to stop gets its budget to finish and be recorded.
        let giveUp = Date().addingTimeInterval(running == nil ? 0 : config.cycleSeconds + 30)
        while running != nil && !finished.peek && !Task.isCancelled && Date() < giveUp {
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// How many cycles and sends `status` keeps (the newest).
    static let kept = 1_000

    /// The instant after `now` at the next multiple of `minutes` since 1970-01-01 00:00 UTC
    /// (on the hour and its quarters for 15).
    static func boundary(after now: Date, minutes: Double) -> Date {
        let period = minutes * 60, t = now.timeIntervalSince1970
        return Date(timeIntervalSince1970: ((t / period).rounded(.down) + 1) * period)
    }

    /// Waits `seconds` of the clock or until a cycle finishes.
    private func sleep(seconds: Double, orUntil wakes: WakeSignal) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [clock] in try await clock.sleep(seconds: seconds) }
            group.addTask { await wakes.wait() }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// The plan of the history in force at start: the newest optimal run of the scenario holding the present.
    private func resume(_ s: Scenario, store: any RunStore) throws -> Plan? {
        guard let k = s.step(containing: clock.now), let id = try store.latestRun(scenario: s.name, holding: s.times[k]),
              let detail = try store.show(id) else {
            logger.info("no plan of '\(s.name)' in \(RunStores.describe(store)) holds \(ISO8601Formatting.string(clock.now)); planning now")
            return nil
        }
        let plan = Plan(runID: id, detail: detail, setpoints: try RunSetpoints.from(detail))
        logger.info("resuming run \(id) of '\(s.name)' from \(RunStores.describe(store))")
        update { $0.resumed = id; $0.inForce = id }
        return plan
    }

    /// What the cycle's batch gave, or why it failed.
    typealias Outcome = (at: Date, reason: String, started: Date, result: Result<DailyBatch.Outcome, any Error>)

    /// One re-plan, solved on the caller's thread.
    func cycle(at: Date, reason: String, replaces: Int64?) -> Outcome {
        var options = DailyBatch.Options()
        options.settings = config.cycleSettings
        options.outputDirectory = config.out
        options.limits = config.hard ? .hard : .soft
        var request = Replanning.Request(at: at, horizonHours: config.horizonHours)
        request.telemetry = config.telemetry
        request.replaces = replaces.map { .run($0) } ?? .latest
        options.replan = request
        options.alsoWritten = [config.database]
        options.openStore = { [config] _ in try RunStores.open(config.database) }
        let started = Date()
        do {
            let outcome = try DailyBatch.run(scenarioDirectory: config.scenario, options: options) { [logger] event in
                if case .planNote(let note) = event { logger.info("\(note)") }
            }
            return (at, reason, started, .success(outcome))
        } catch {
            return (at, reason, started, .failure(error))
        }
    }

    /// Puts an optimal plan in force; otherwise says why the previous one stays. A cycle that
    /// ran past its budget still puts its plan in force when the plan is optimal: it is the
    /// newest, made from the newest state, and the history's newest optimal plan is the one a
    /// restart resumes and `vtn serve latest` publishes.
    private func adopt(_ o: Outcome, previous: Plan?, store: any RunStore) -> (plan: Plan?, cycle: Cycle) {
        let seconds = Date().timeIntervalSince(o.started)
        let keep = previous.map { "run \($0.runID) stays in force" } ?? "no plan is in force"
        var cycle = Cycle(at: o.at, reason: o.reason, runID: nil, status: "failed", objective: nil, breaches: [], adopted: false,
                          seconds: seconds, message: "")
        switch o.result {
        case .failure(let error):
            cycle.message = "cycle at \(ISO8601Formatting.string(o.at)) failed: \(error); \(keep)"
            logger.error("\(cycle.message)")
            return (nil, cycle)
        case .success(let outcome):
            cycle.runID = outcome.written.runID
            cycle.status = outcome.run.status.rawValue
            cycle.objective = outcome.run.objective
            cycle.breaches = outcome.run.breaches
            let id = outcome.written.runID.map { "run \($0)" } ?? "the plan"
            guard outcome.run.status == .optimal, let runID = outcome.written.runID else {
                cycle.message = "\(id) is \(outcome.run.status.rawValue), not optimal; \(keep)"
                logger.warning("\(cycle.message)")
                return (nil, cycle)
            }
            do {
                guard let detail = try store.show(runID) else { throw DailyBatch.Failure.writing("run \(runID) is not in the history") }
                let plan = Plan(runID: runID, detail: detail, setpoints: try RunSetpoints.from(detail))
                cycle.adopted = true
                cycle.message = "run \(runID) in force" + (previous.map { ", replacing run \($0.runID)" } ?? "")
                    + String(format: ": objective %.2f, %d breach(es), %.1f s", outcome.run.objective ?? .nan, outcome.run.breaches.count, seconds)
                logger.info("\(cycle.message)")
                for b in outcome.run.breaches { logger.warning("run \(runID): \(b.description)") }
                return (plan, cycle)
            } catch {
                cycle.message = "run \(runID): \(error); \(keep)"
                logger.error("\(cycle.message)")
                return (nil, cycle)
            }
        }
    }

    /// Why the park needs a new plan now, if it does.
    private func event(plan: Plan?, scenario: Scenario, at now: Date) async -> String? {
        if let signals {
            do {
                if let change = try await signals.poll(from: now, scenario: scenario) { return change }
            } catch {
                logger.warning("VTN: \(error)")
            }
        }
        guard let plan, let threshold = config.stateOfChargePercent else { return nil }
        do {
            let measured = try TelemetryState.read(config.telemetry, scenario: scenario, at: now)
            let jumps = PlanDeviation.jumps(plan.detail, scenario: scenario, measured: measured.state, at: now, thresholdPercent: threshold)
            return jumps.first.map { "telemetry: \($0)" }
        } catch {
            logger.warning("telemetry: \(error)")
            return nil
        }
    }

    /// Releases the assets of every sink (`fallback` release) or says that they keep their
    /// last setpoints (hold). The assets are the sinks' own and those of the plan that ended,
    /// or without one those of the scenario's newest optimal run in the history (a sink that
    /// takes every asset names none of its own). Returns false when a release failed.
    private func fallBack(at now: Date, ended: Plan?, scenario: String, store: any RunStore) async -> Bool {
        let why = ended.map { "run \($0.runID) ends before \(ISO8601Formatting.string(now))" }
            ?? "no plan holds \(ISO8601Formatting.string(now))"
        switch config.fallback {
        case .hold:
            logger.warning("\(why): the devices keep their last setpoints (fallback 'hold') until a plan holds the present")
            return true
        case .release:
            var planned = ended?.setpoints ?? []
            if ended == nil, let id = try? store.latestOptimalRun(scenario: scenario), let detail = try? store.show(id) {
                planned = (try? RunSetpoints.from(detail)) ?? []
            }
            let assets = Set(sinks.flatMap(\.assets) + planned.map(\.asset)).sorted()
            var receipts: [SetpointReceipt] = []
            for sink in sinks {
                do { receipts += try await sink.release(assets) } catch {
                    receipts.append(SetpointReceipt(sink: sink.name, asset: "*", step: -1, powerKW: .nan, confirmed: nil, error: "\(error)"))
                }
            }
            let failed = receipts.filter { $0.error != nil }
            let outcome = failed.isEmpty ? "\(receipts.count) asset(s) released to their own control"
                : "\(failed.count) of \(receipts.count) release(s) failed: " + Self.firstErrors(failed)
            logger.warning("\(why): \(outcome) (fallback 'release') until a plan holds the present")
            update {
                $0.released.append((now, receipts))
                if $0.released.count > Self.kept { $0.released.removeFirst($0.released.count - Self.kept) }
            }
            return failed.isEmpty
        }
    }

    /// The first three failed receipts, for the log.
    static func firstErrors(_ failed: [SetpointReceipt]) -> String {
        failed.prefix(3).map { "\($0.sink) \($0.asset): \($0.error ?? "?")" }.joined(separator: "; ")
    }

    /// Sends the step in effect of `plan` through every sink.
    private func send(_ plan: Plan, step k: Int) async -> [SetpointReceipt] {
        var receipts: [SetpointReceipt] = []
        for sink in sinks {
            do { receipts += try await sink.send(plan.setpoints, step: k) } catch {
                receipts.append(SetpointReceipt(sink: sink.name, asset: "*", step: k, powerKW: .nan, confirmed: nil, error: "\(error)"))
            }
        }
        let failed = receipts.filter { $0.error != nil }
        let step = "run \(plan.runID) step \(k) (\(plan.detail.times.indices.contains(k) ? plan.detail.times[k] : "?"))"
        if receipts.isEmpty {
            return receipts
        } else if failed.isEmpty {
            logger.info("\(step): \(receipts.count) setpoint(s) confirmed")
        } else {
            logger.error("\(step): \(failed.count) of \(receipts.count) setpoint(s) not confirmed: \(Self.firstErrors(failed))")
        }
        return receipts
    }
}

/// The finished cycle handed from its thread to the service's loop.
private final class LockedResult: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ParkOperator.Outcome?
    func put(_ v: ParkOperator.Outcome) { lock.withLock { value = v } }
    func take() -> ParkOperator.Outcome? { lock.withLock { defer { value = nil }; return value } }
    var peek: Bool { lock.withLock { value != nil } }
}

/// Wakes the service's loop when a cycle finishes: a signal given while nobody waits is
/// kept for the next wait; a cancelled wait returns at once and leaves the signal alone.
final class WakeSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    func signal() {
        lock.lock()
        if let w = waiter {
            waiter = nil
            lock.unlock()
            w.resume()
        } else {
            pending = true
            lock.unlock()
        }
    }

    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                lock.lock()
                if pending || Task.isCancelled {
                    if !Task.isCancelled { pending = false }
                    lock.unlock()
                    c.resume()
                    return
                }
                waiter = c
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let w = waiter
            waiter = nil
            lock.unlock()
            w?.resume()
        }
    }
}
