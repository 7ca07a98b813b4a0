import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import OpenADRAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// FlexDispatch as a VEN of a utility's (or aggregator's) VTN: OAuth2 client credentials
/// (the token URL given, or discovered through `/auth/server`), registration by name, and
/// the program's events read as the park's signals (`SignalSource`).
///
/// What the VTN's filters return is checked here as well: a VEN found by name must have
/// that name, a subscription found by client name must be this VEN's, and an event listed
/// for the program must belong to it — a VTN whose filter does not work cannot hand the VEN
/// another program's prices or another client's subscription.
public final class VENClient: SignalSource, Sendable {
    /// How the client id and secret go to the token endpoint.
    public enum CredentialMode: String, Sendable, CaseIterable, CustomStringConvertible {
        /// `client_id` and `client_secret` in the form body, as the OpenADR 3.1
        /// `clientCredentialRequest` has them.
        case body
        /// `Authorization: Basic` (RFC 6749 §2.3.1).
        case basic
        public var description: String { rawValue }
    }

    /// The VTN's address, the VEN's name, its client credentials and how they are sent, and its scopes.
    public struct Settings: Sendable {
        public var baseURL: URL
        public var clientID: String
        public var secret: String
        public var venName: String
        public var tokenURL: URL?
        /// How the token request carries the client's credentials: in the form body (the
        /// OpenADR 3.1 spec's `clientCredentialRequest`, the default) or as HTTP Basic.
        public var credentialMode = CredentialMode.body
        public var scopes = "read_targets read_ven_objects write_reports write_vens"
        /// Only this program's events (all programs when nil).
        public var programName: String?
        public var timeoutSeconds: Double = 10
        /// A PEM file of the CA(s) to trust for an https VTN with a private CA (the system's
        /// roots otherwise).
        public var caFile: String?
        public init(baseURL: URL, clientID: String, secret: String, venName: String) {
            self.baseURL = baseURL
            self.clientID = clientID
            self.secret = secret
            self.venName = venName
        }
    }

    public let name: String
    let settings: Settings
    let client: Client
    let tokens: VENTokens
    /// The events as last polled and notified.
    public let known = VENEvents()
    let logger = Logger(label: "flexdispatch.ven")

    /// `http` defaults to a shared client (one per `caFile`).
    public init(_ settings: Settings, http given: HTTPClient? = nil) throws {
        let http = try given ?? Self.sharedClient(caFile: settings.caFile)
        name = "openadr:\(settings.venName)"
        self.settings = settings
        tokens = VENTokens(settings: settings, http: http)
        client = Client(serverURL: settings.baseURL, configuration: .init(dateTranscoder: OpenADRDates(lenient: true)),
                        transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .seconds(Int64(settings.timeoutSeconds)))),
                        middlewares: [tokens, VENProblems()])
    }

    /// Registers the VEN unless one of its name exists; returns its id.
    @discardableResult
    public func register() async throws -> String {
        try await ask {
            let found = try await client.searchVens(query: .init(venName: settings.venName))
            if case .ok(let ok) = found, let v = try ok.body.json.first(where: { $0.value2.venName == settings.venName }) { return v.value1.id }
            let created = try await client.createVen(body: .json(.VenVenRequest(.init(objectType: "VEN_VEN_REQUEST", venName: settings.venName))))
            guard case .created(let c) = created else {
                throw VENError("createVen (registering \(settings.venName)) at \(settings.baseURL): \(await Self.status(created))")
            }
            return try c.body.json.value1.id
        }
    }

    /// The ids of the programs named in the settings (nil: all programs), page by page.
    /// `known` is limited to them, so that notifications of other programs' events are
    /// ignored as well.
    func programIDs() async throws -> [String]? {
        guard let wanted = settings.programName else { return nil }
        var ids: [String] = []
        var skip: Int32 = 0
        while true {
            let r = try await client.searchAllPrograms(query: .init(skip: skip, limit: 50))
            guard case .ok(let ok) = r else { throw VENError("searchAllPrograms at \(settings.baseURL): \(await Self.status(r))") }
            let page = try ok.body.json
            ids += page.filter { $0.value2.programName == wanted }.map(\.value1.id)
            if page.count < 50 { break }
            skip += 50
        }
        guard !ids.isEmpty else { throw VENError("the VTN has no program '\(wanted)'") }
        known.limit(toPrograms: Set(ids))
        return ids
    }

    /// The events of the program (or of all programs) the VTN shows this VEN, page by page
    /// (an event listed twice — the list changed between pages — is taken once by `refresh`).
    /// Events of other programs that the VTN lists for the program are dropped, with a
    /// warning.
    public func events() async throws -> [Components.Schemas.Event] {
        try await ask {
            let programIDs: [String?] = try await self.programIDs() ?? [nil]
            var out: [Components.Schemas.Event] = []
            for p in programIDs {
                var skip: Int32 = 0
                var foreign: Set<String> = []
                while true {
                    let r = try await client.searchAllEvents(query: .init(programID: p, skip: skip, limit: 50))
                    guard case .ok(let ok) = r else { throw VENError("searchAllEvents at \(settings.baseURL): \(await Self.status(r))") }
                    let page = try ok.body.json
                    for e in page {
                        if let p, e.value2.programID != p { foreign.insert(e.value1.id) } else { out.append(e) }
                    }
                    if page.count < 50 { break }
                    skip += 50
                }
                if let p, !foreign.isEmpty {
                    logger.warning("the VTN at \(settings.baseURL) listed \(foreign.count) event(s) of other programs for program \(p); ignored: \(foreign.sorted().joined(separator: ", "))")
                }
            }
            return out
        }
    }

    /// Polls the events and makes them what the VEN knows.
    @discardableResult
    public func refresh() async throws -> [Components.Schemas.Event] {
        known.beginPoll()
        known.replace(with: try await events())
        return known.all
    }

    /// The signals of the events the VTN lists now (a poll).
    public func signals(from: Date, to: Date) async throws -> [Signal] {
        OpenADRSignals.signals(try await refresh(), from: from, to: to)
    }

    /// The signals of the events known from the last poll and the notifications since.
    public func knownSignals(from: Date, to: Date) -> [Signal] {
        OpenADRSignals.signals(known.all, from: from, to: to)
    }

    /// Subscribes to webhook notifications of events (created, updated, deleted) of the
    /// program (or all programs), delivered to `callbackURL` with `bearerToken`; a
    /// subscription of this VEN's name that exists is updated instead. Returns its id.
    @discardableResult
    public func subscribe(callbackURL: URL, bearerToken: String) async throws -> String {
        try await ask {
            let programID = try await programIDs()?.first
            let request = Components.Schemas.SubscriptionRequest(
                clientName: settings.venName, programID: programID,
                objectOperations: [.init(objects: [.event], operations: [.create, .update, .delete], callbackUrl: callbackURL.absoluteString,
                                         bearerToken: bearerToken)])
            let found = try await client.searchSubscriptions(query: .init(programID: programID, clientName: settings.venName))
            if case .ok(let ok) = found,
               let existing = try ok.body.json.first(where: { $0.value2.clientName == settings.venName && $0.value2.programID == programID }) {
                let r = try await client.updateSubscription(path: .init(subscriptionID: existing.value1.id), body: .json(request))
                guard case .ok(let u) = r else {
                    throw VENError("updateSubscription \(existing.value1.id) at \(settings.baseURL): \(await Self.status(r))")
                }
                return try u.body.json.value1.id
            }
            let r = try await client.createSubscription(body: .json(request))
            guard case .created(let c) = r else { throw VENError("createSubscription at \(settings.baseURL): \(await Self.status(r))") }
            return try c.body.json.value1.id
        }
    }

    /// Removes a subscription (the VEN stopping to listen); one the VTN no longer has
    /// counts as removed.
    public func unsubscribe(_ subscriptionID: String) async throws {
        try await ask {
            let r = try await client.deleteSubscription(path: .init(subscriptionID: subscriptionID))
            switch r {
            case .ok, .notFound: return
            default: throw VENError("deleteSubscription \(subscriptionID) at \(settings.baseURL): \(await Self.status(r))")
            }
        }
    }

    /// Reports the park's usage to the VTN on one of its events: per interval the energy
    /// (kWh) over it as USAGE, `readingType` DIRECT_READ for metered intervals and
    /// PROJECTION for planned ones. Returns the report's id.
    @discardableResult
    public func reportUsage(eventID: String, reportName: String, resourceName: String, start: Date, stepSeconds: Double,
                            kWh: [Double], projected: Bool) async throws -> String {
        try await ask { try await postUsage(eventID: eventID, reportName: reportName, resourceName: resourceName, start: start,
                                            stepSeconds: stepSeconds, kWh: kWh, projected: projected) }
    }

    func postUsage(eventID: String, reportName: String, resourceName: String, start: Date, stepSeconds: Double,
                   kWh: [Double], projected: Bool) async throws -> String {
        let duration = "PT\(Int(stepSeconds))S"
        let request = Components.Schemas.ReportRequest(
            eventID: eventID, clientName: settings.venName, reportName: reportName,
            payloadDescriptors: [.init(objectType: .reportPayloadDescriptor, payloadType: "USAGE", readingType: projected ? "PROJECTION" : "DIRECT_READ",
                                       units: "KWH")],
            resources: [.init(resourceName: resourceName, intervalPeriod: .init(start: start, duration: duration),
                              intervals: kWh.enumerated().map { k, v in .init(id: Int32(k), payloads: [.init(_type: "USAGE", values: [.init(value1: v)])]) })])
        let r = try await client.createReport(body: .json(request))
        guard case .created(let c) = r else { throw VENError("createReport (usage on event \(eventID)) at \(settings.baseURL): \(await Self.status(r))") }
        return try c.body.json.value1.id
    }

    /// HTTP clients live as long as the process (AsyncHTTPClient wants every client it
    /// created shut down): the shared one, and one per CA file asked for.
    static let clients = NIOLockedValueBox<[String: HTTPClient]>([:])

    static func sharedClient(caFile: String?) throws -> HTTPClient {
        guard let caFile else { return .shared }
        let tls = try ServerTLS.clientTrusting(caFile)
        return clients.withLockedValue { c in
            if let existing = c[caFile] { return existing }
            var config = HTTPClient.Configuration()
            config.tlsConfiguration = tls
            let made = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
            c[caFile] = made
            return made
        }
    }

    /// Runs VTN calls, turning the OpenAPI runtime's errors (time-outs, refused connections,
    /// answers that are not the spec's JSON) into one line naming the operation.
    func ask<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as ClientError {
            let status = e.response.map { " (HTTP \($0.status.code))" } ?? ""
            throw VENError("\(e.operationID) at \(settings.baseURL)\(status): \(e.causeDescription): \(e.underlyingError)")
        }
    }

    /// An answer that is not the one hoped for, in a line: its kind (`badRequest`, `notFound`,
    /// or `HTTP <code>` for a status the spec does not list for the operation) and what the
    /// body says (the problem's title and detail).
    static func status(_ output: Any) async -> String {
        guard let c = Mirror(reflecting: output).children.first, let label = c.label else { return "\(output)".prefix(300).description }
        var kind = label
        if label == "undocumented" {
            let parts = Mirror(reflecting: c.value).children.map(\.value)
            if let code = parts.first as? Int { kind = "HTTP \(code)" }
            guard let body = parts.lazy.compactMap({ ($0 as? UndocumentedPayload)?.body }).first,
                  let data = try? await Data(collecting: body, upTo: 1 << 20), let said = VENAnswer.describe(data) else { return kind }
            return "\(kind): \(said)"
        }
        guard let p = problem(in: c.value) else { return kind }
        return "\(kind)\(p.status.map { " (HTTP \($0))" } ?? ""): \([p.title, p.detail].compactMap { $0 }.joined(separator: ": "))"
    }

    static func problem(in value: Any, depth: Int = 0) -> Components.Schemas.Problem? {
        if let p = value as? Components.Schemas.Problem { return p }
        guard depth < 6 else { return nil }
        for c in Mirror(reflecting: value).children {
            if let p = problem(in: c.value, depth: depth + 1) { return p }
        }
        return nil
    }
}

/// A VTN answer the VEN cannot use, or a request the VTN refused.
public struct VENError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
