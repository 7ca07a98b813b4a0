import Foundation
import NIOConcurrencyHelpers
import OpenADRAPI
import RunHistory
import Storage

/// The park's VTN: the OpenADR 3.1 operations over `VTNStore`. The bearer token's grant
/// (checked by `VTNMiddleware`) is in `VTNContext.grant`; a handler throws `VTNProblem`
/// for what the spec answers with a problem body.
public final class VTNService: APIProtocol, Sendable {
    let store: VTNStore
    let auth: VTNAuth
    /// Where `/auth/server` sends clients for tokens (set once the server knows its port).
    let tokenURLBox: NIOLockedValueBox<String>
    public var tokenURL: String {
        get { tokenURLBox.withLockedValue { $0 } }
        set { tokenURLBox.withLockedValue { $0 = newValue } }
    }
    /// Called with every report created or updated (the park stores its readings).
    let onReport: @Sendable (Components.Schemas.Report, VTNAuth.Grant) -> Void
    /// Checks a report's readings before it is taken (range, age, units: `ParkVTN.check`);
    /// each problem names its field, and any problem refuses the report (400).
    let reportCheck: @Sendable (Components.Schemas.ReportRequest, VTNAuth.Grant) -> [String]
    /// Webhook notifications to subscribers (sent while `VTNServer` runs).
    public let notifier: VTNNotifier
    /// Whether a subscription is accepted (created, or updated to new callback URLs) only
    /// once each callback URL answers `VTNNotifier.probe` (the echo probe).
    let probeCallbacks: Bool

    /// `stateFile`: where the objects are kept across restarts (in memory only when nil);
    /// an unreadable file is an error naming it. `probeCallbacks`: see the property.
    /// `documents`: a database to keep the objects in (the run history's, `DocumentStore`),
    /// which takes precedence over `stateFile`.
    public init(auth: VTNAuth, tokenURL: String = "", notifier: VTNNotifier = VTNNotifier(), stateFile: String? = nil,
                documents: (any DocumentStore)? = nil,
                probeCallbacks: Bool = false,
                reportCheck: @escaping @Sendable (Components.Schemas.ReportRequest, VTNAuth.Grant) -> [String] = { _, _ in [] },
                onReport: @escaping @Sendable (Components.Schemas.Report, VTNAuth.Grant) -> Void = { _, _ in }) throws {
        store = try VTNStore(file: stateFile, documents: documents)
        self.auth = auth
        self.notifier = notifier
        self.probeCallbacks = probeCallbacks
        tokenURLBox = NIOLockedValueBox(tokenURL)
        self.onReport = onReport
        self.reportCheck = reportCheck
    }

    var grant: VTNAuth.Grant {
        get throws {
            guard let g = VTNContext.grant else { throw VTNProblem.unauthorized("no bearer token") }
            return g
        }
    }

    // MARK: Programs

    public func searchAllPrograms(_ input: Operations.SearchAllPrograms.Input) async throws -> Operations.SearchAllPrograms.Output {
        let g = try grant
        let all = store.state.withLockedValue { $0.programs }.filter { VTNQuery.visible($0.value2.targets, to: g, query: input.query.targets) }
        return .ok(.init(body: .json(try VTNQuery.page(all, skip: input.query.skip, limit: input.query.limit))))
    }

    public func createProgram(_ input: Operations.CreateProgram.Input) async throws -> Operations.CreateProgram.Output {
        guard case .json(let request)? = input.body else { throw VTNProblem.badRequest("a program (JSON) is required") }
        return .created(.init(body: .json(try addProgram(request))))
    }

    /// Adds a program (the park publishing its own, or a business-logic client).
    @discardableResult
    public func addProgram(_ request: Components.Schemas.ProgramRequest) throws -> Components.Schemas.Program {
        try VTNValidation.program(request)
        if store.state.withLockedValue({ $0.programs.contains { $0.value2.programName == request.programName } }) {
            throw VTNProblem.conflict("a program named '\(request.programName)' exists")
        }
        let p = Components.Schemas.Program(value1: store.metadata(.program), value2: request)
        store.mutate { $0.programs.append(p) }
        notify(.create, program: p)
        return p
    }

    public func searchProgramByProgramId(_ input: Operations.SearchProgramByProgramId.Input) async throws
        -> Operations.SearchProgramByProgramId.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.find(\.programs, input.path.programID, "program") {
            VTNQuery.visible($0.value2.targets, to: g, query: nil)
        })))
    }

    public func updateProgram(_ input: Operations.UpdateProgram.Input) async throws -> Operations.UpdateProgram.Output {
        guard case .json(let request)? = input.body else { throw VTNProblem.badRequest("a program (JSON) is required") }
        try VTNValidation.program(request)
        let p = try store.update(\.programs, input.path.programID, "program") { .init(value1: $0.value1, value2: request) }
        notify(.update, program: p)
        return .ok(.init(body: .json(p)))
    }

    public func deleteProgram(_ input: Operations.DeleteProgram.Input) async throws -> Operations.DeleteProgram.Output {
        let id = input.path.programID
        var gone: [Components.Schemas.Event] = []
        let p = try store.remove(\.programs, id, "program", also: { s in
            gone = s.events.filter { $0.value2.programID == id }
            s.events.removeAll { $0.value2.programID == id }
        })
        for e in gone { notify(.delete, event: e) }
        notify(.delete, program: p)
        return .ok(.init(body: .json(p)))
    }

    // MARK: Events

    public func searchAllEvents(_ input: Operations.SearchAllEvents.Input) async throws -> Operations.SearchAllEvents.Output {
        let g = try grant
        let now = Date()
        let all = store.state.withLockedValue { $0.events }.filter { e in
            (input.query.programID == nil || e.value2.programID == input.query.programID)
                && VTNQuery.visible(e.value2.targets, to: g, query: input.query.targets)
                && (input.query.active != true || !VTNValidation.hasEnded(e.value2, now: now))
        }
        return .ok(.init(body: .json(try VTNQuery.page(all, skip: input.query.skip, limit: input.query.limit))))
    }

    public func createEvent(_ input: Operations.CreateEvent.Input) async throws -> Operations.CreateEvent.Output {
        guard case .json(let request)? = input.body else { throw VTNProblem.badRequest("an event (JSON) is required") }
        return .created(.init(body: .json(try addEvent(request))))
    }

    /// Adds an event to an existing program.
    @discardableResult
    public func addEvent(_ request: Components.Schemas.EventRequest) throws -> Components.Schemas.Event {
        try VTNValidation.event(request)
        guard store.state.withLockedValue({ $0.programs.contains { $0.value1.id == request.programID } }) else {
            throw VTNProblem.badRequest("programID \(request.programID) names no program")
        }
        let e = Components.Schemas.Event(value1: store.metadata(.event), value2: request)
        store.mutate { $0.events.append(e) }
        notify(.create, event: e)
        return e
    }

    public func searchEventsByID(_ input: Operations.SearchEventsByID.Input) async throws -> Operations.SearchEventsByID.Output {
        let g = try grant
        return .ok(.init(body: .json(try store.find(\.events, input.path.eventID, "event") { VTNQuery.visible($0.value2.targets, to: g, query: nil) })))
    }

    public func updateEvent(_ input: Operations.UpdateEvent.Input) async throws -> Operations.UpdateEvent.Output {
        guard case .json(let request)? = input.body else { throw VTNProblem.badRequest("an event (JSON) is required") }
        try VTNValidation.event(request)
        let e = try store.update(\.events, input.path.eventID, "event") { .init(value1: $0.value1, value2: request) }
        notify(.update, event: e)
        return .ok(.init(body: .json(e)))
    }

    public func deleteEvent(_ input: Operations.DeleteEvent.Input) async throws -> Operations.DeleteEvent.Output {
        let e = try store.remove(\.events, input.path.eventID, "event")
        notify(.delete, event: e)
        return .ok(.init(body: .json(e)))
    }

    /// Removes the events `matching` says (the park withdrawing an earlier run's events),
    /// notifying subscribers of each; returns how many.
    @discardableResult
    public func removeEvents(matching: (Components.Schemas.Event) -> Bool) -> Int {
        let gone = store.mutate { s -> [Components.Schemas.Event] in
            let g = s.events.filter(matching)
            s.events.removeAll(where: matching)
            return g
        }
        for e in gone { notify(.delete, event: e) }
        return gone.count
    }

    /// The program of that name, if there is one.
    public func program(named name: String) -> Components.Schemas.Program? {
        store.state.withLockedValue { $0.programs.first { $0.value2.programName == name } }
    }

    // MARK: Auth and notifiers

    public func getAuthServerInfo(_ input: Operations.GetAuthServerInfo.Input) async throws -> Operations.GetAuthServerInfo.Output {
        .ok(.init(body: .json(.init(tokenURL: tokenURL))))
    }

    public func listAllNotifiers(_ input: Operations.ListAllNotifiers.Input) async throws -> Operations.ListAllNotifiers.Output {
        .ok(.init(body: .json(.init(webhook: true))))
    }
}

/// The grant of the request being handled.
enum VTNContext {
    @TaskLocal static var grant: VTNAuth.Grant?
}
