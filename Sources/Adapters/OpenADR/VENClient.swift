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

    public init(_ settings: Settings, http: HTTPClient = .shared) {
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
        let found = try await client.searchVens(query: .init(venName: settings.venName))
        if case .ok(let ok) = found, let v = try ok.body.json.first { return v.value1.id }
        let created = try await client.createVen(body: .json(.VenVenRequest(.init(objectType: "VEN_VEN_REQUEST", venName: settings.venName))))
        guard case .created(let c) = created else { throw VENError("registering \(settings.venName): \(Self.status(created))") }
        return try c.body.json.value1.id
    }

    /// The events of the program (or of all programs) the VTN shows this VEN.
    public func events() async throws -> [Components.Schemas.Event] {
        var programIDs: [String?] = [nil]
        if let wanted = settings.programName {
            guard case .ok(let ok) = try await client.searchAllPrograms(query: .init()) else { throw VENError("listing programs failed") }
            let ids = try ok.body.json.filter { $0.value2.programName == wanted }.map(\.value1.id)
            guard !ids.isEmpty else { throw VENError("the VTN has no program '\(wanted)'") }
            programIDs = ids
        }
        var out: [Components.Schemas.Event] = []
        for p in programIDs {
            var skip: Int32 = 0
            while true {
                let r = try await client.searchAllEvents(query: .init(programID: p, skip: skip, limit: 50))
                guard case .ok(let ok) = r else { throw VENError("listing events: \(Self.status(r))") }
                let page = try ok.body.json
                out += page
                if page.count < 50 { break }
                skip += 50
            }
        }
        return out
    }

    public func signals(from: Date, to: Date) async throws -> [Signal] {
        OpenADRSignals.signals(try await events(), from: from, to: to)
    }

    static func status(_ output: Any) -> String { "\(output)".prefix(300).description }
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
    init(_ d: String) { description = d }
}
