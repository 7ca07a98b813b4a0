import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import OpenADRAPI
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// FlexDispatch as a VEN of a utility's (or aggregator's) VTN: OAuth2 client credentials
/// (the token URL given, or discovered through `/auth/server`), registration by name, and
/// the program's events read as the park's signals (`SignalSource`).
public final class VENClient: SignalSource, Sendable {
    public struct Settings: Sendable {
        public var baseURL: URL
        public var clientID: String
        public var secret: String
        public var venName: String
        public var tokenURL: URL?
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

    /// `http` defaults to a shared client (one per `caFile`).
    public init(_ settings: Settings, http given: HTTPClient? = nil) throws {
        let http = try given ?? Self.sharedClient(caFile: settings.caFile)
        name = "openadr:\(settings.venName)"
        self.settings = settings
        tokens = VENTokens(settings: settings, http: http)
        client = Client(serverURL: settings.baseURL, configuration: .init(dateTranscoder: OpenADRDates(lenient: true)),
                        transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .seconds(Int64(settings.timeoutSeconds)))),
                        middlewares: [tokens])
    }

    /// Registers the VEN unless one of its name exists; returns its id.
    @discardableResult
    public func register() async throws -> String {
        try await ask {
            let found = try await client.searchVens(query: .init(venName: settings.venName))
            if case .ok(let ok) = found, let v = try ok.body.json.first { return v.value1.id }
            let created = try await client.createVen(body: .json(.VenVenRequest(.init(objectType: "VEN_VEN_REQUEST", venName: settings.venName))))
            guard case .created(let c) = created else { throw VENError("createVen (registering \(settings.venName)) at \(settings.baseURL): \(Self.status(created))") }
            return try c.body.json.value1.id
        }
    }

    /// The ids of the programs named in the settings (nil: all programs).
    func programIDs() async throws -> [String]? {
        guard let wanted = settings.programName else { return nil }
        let r = try await client.searchAllPrograms(query: .init())
        guard case .ok(let ok) = r else { throw VENError("searchAllPrograms at \(settings.baseURL): \(Self.status(r))") }
        let ids = try ok.body.json.filter { $0.value2.programName == wanted }.map(\.value1.id)
        guard !ids.isEmpty else { throw VENError("the VTN has no program '\(wanted)'") }
        return ids
    }

    /// The events of the program (or of all programs) the VTN shows this VEN, page by page
    /// (an event listed twice — the list changed between pages — is taken once by `refresh`).
    public func events() async throws -> [Components.Schemas.Event] {
        try await ask {
            let programIDs: [String?] = try await self.programIDs() ?? [nil]
            var out: [Components.Schemas.Event] = []
            for p in programIDs {
                var skip: Int32 = 0
                while true {
                    let r = try await client.searchAllEvents(query: .init(programID: p, skip: skip, limit: 50))
                    guard case .ok(let ok) = r else { throw VENError("searchAllEvents at \(settings.baseURL): \(Self.status(r))") }
                    let page = try ok.body.json
                    out += page
                    if page.count < 50 { break }
                    skip += 50
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
            if case .ok(let ok) = found, let existing = try ok.body.json.first {
                let r = try await client.updateSubscription(path: .init(subscriptionID: existing.value1.id), body: .json(request))
                guard case .ok(let u) = r else { throw VENError("updateSubscription \(existing.value1.id) at \(settings.baseURL): \(Self.status(r))") }
                return try u.body.json.value1.id
            }
            let r = try await client.createSubscription(body: .json(request))
            guard case .created(let c) = r else { throw VENError("createSubscription at \(settings.baseURL): \(Self.status(r))") }
            return try c.body.json.value1.id
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
        guard case .created(let c) = r else { throw VENError("createReport (usage on event \(eventID)) at \(settings.baseURL): \(Self.status(r))") }
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
    /// `undocumented` with the status code) and the problem body's title and detail.
    static func status(_ output: Any) -> String {
        guard let c = Mirror(reflecting: output).children.first, let label = c.label else { return "\(output)".prefix(300).description }
        var kind = label
        if label == "undocumented", let code = Mirror(reflecting: c.value).children.first?.value as? Int { kind = "HTTP \(code)" }
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

/// Bearer tokens for the VEN's requests: fetched with client credentials (HTTP Basic),
/// kept until half their lifetime, fetched again once after a 401.
final class VENTokens: ClientMiddleware, Sendable {
    let settings: VENClient.Settings
    let http: HTTPClient
    private let cached = NIOLockedValueBox<(token: String, until: Date)?>(nil)

    init(settings: VENClient.Settings, http: HTTPClient) {
        self.settings = settings
        self.http = http
    }

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        if operationID == "getAuthServerInfo" { return try await next(request, body, baseURL) }
        var r = request
        r.headerFields[.authorization] = "Bearer \(try await token())"
        let (response, responseBody) = try await next(r, body, baseURL)
        guard response.status == .unauthorized else { return (response, responseBody) }
        cached.withLockedValue { $0 = nil }
        r.headerFields[.authorization] = "Bearer \(try await token())"
        return try await next(r, body, baseURL)
    }

    func token(now: Date = Date()) async throws -> String {
        if let c = cached.withLockedValue({ $0 }), c.until > now { return c.token }
        let url = try await tokenURL()
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(settings.clientID):\(settings.secret)".utf8).base64EncodedString())
        let scope = settings.scopes.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        request.body = .bytes(ByteBuffer(string: "grant_type=client_credentials&scope=\(scope)"))
        let response = try await http.execute(request, timeout: .seconds(Int64(settings.timeoutSeconds)))
        let body = try await response.body.collect(upTo: 1 << 16)
        let o = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        guard response.status == .ok, let token = o["access_token"] as? String else {
            throw VENError("token from \(url): HTTP \(response.status.code) \(o["error"] as? String ?? "") \(o["error_description"] as? String ?? "")")
        }
        let lifetime = (o["expires_in"] as? NSNumber)?.doubleValue ?? 3600
        cached.withLockedValue { $0 = (token, now.addingTimeInterval(lifetime / 2)) }
        return token
    }

    func tokenURL() async throws -> URL {
        if let u = settings.tokenURL { return u }
        let response = try await http.execute(HTTPClientRequest(url: settings.baseURL.appendingPathComponent("auth/server").absoluteString),
                                              timeout: .seconds(Int64(settings.timeoutSeconds)))
        let body = try await response.body.collect(upTo: 1 << 16)
        guard response.status == .ok, let o = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
              let s = o["tokenURL"] as? String, let u = URL(string: s, relativeTo: settings.baseURL) else {
            throw VENError("\(settings.baseURL)auth/server gave no tokenURL (HTTP \(response.status.code))")
        }
        return u.absoluteURL
    }
}

public struct VENError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
