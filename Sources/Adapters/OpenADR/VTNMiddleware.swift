import Foundation
import HTTPTypes
import OpenADRAPI
import OpenAPIRuntime

/// Bearer tokens and scopes for every operation but `/auth/server`, and the spec's
/// problem bodies for every error: 401 without a valid token, 403 without the scope the
/// operation needs, 400 for a request the schemas reject (with the decoder's reason), the
/// handlers' own problems, 500 for anything else — never a crash.
struct VTNMiddleware: ServerMiddleware {
    let auth: VTNAuth

    /// The scopes that allow each operation (any one suffices).
    static let scopes: [String: Set<String>] = {
        var m: [String: Set<String>] = [:]
        for op in ["searchAllPrograms", "searchProgramByProgramId", "searchAllEvents", "searchEventsByID"] { m[op] = ["read_targets", "read_all"] }
        for op in ["createProgram", "updateProgram", "deleteProgram"] { m[op] = ["write_programs"] }
        for op in ["createEvent", "updateEvent", "deleteEvent"] { m[op] = ["write_events"] }
        for op in ["searchAllReports", "searchReportsByReportID", "searchSubscriptions", "searchSubscriptionByID", "searchVens", "searchVenByID",
                   "searchVenResources", "searchVenResourceByID"] { m[op] = ["read_ven_objects", "read_all"] }
        for op in ["createReport", "updateReport", "deleteReport"] { m[op] = ["write_reports"] }
        for op in ["createSubscription", "updateSubscription", "deleteSubscription"] { m[op] = ["write_subscriptions"] }
        for op in ["createVen", "updateVen", "deleteVen", "createResource", "updateVenResource", "deleteVenResource"] { m[op] = ["write_vens"] }
        m["listAllNotifiers"] = VTNAuth.allScopes
        return m
    }()

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        guard let needed = Self.scopes[operationID] else { return try await run(request, body, metadata, next) }
        guard let grant = auth.grant(authorization: request.headerFields[.authorization]) else {
            return Self.problem(.unauthorized("a valid bearer token is required (POST /auth/token)"), wwwAuthenticate: true)
        }
        guard !needed.isDisjoint(with: grant.scopes) else {
            return Self.problem(.forbidden("\(operationID) needs the scope \(needed.sorted().joined(separator: " or "))"))
        }
        return try await VTNContext.$grant.withValue(grant) { try await run(request, body, metadata, next) }
    }

    func run(_ request: HTTPRequest, _ body: HTTPBody?, _ metadata: ServerRequestMetadata,
             _ next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)) async throws
        -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as ServerError {
            if let p = error.underlyingError as? VTNProblem { return Self.problem(p) }
            return Self.problem(.badRequest("\(Self.reason(error.underlyingError))"))
        } catch let p as VTNProblem {
            return Self.problem(p)
        } catch {
            return Self.problem(VTNProblem(status: 500, title: "Internal Server Error", detail: "\(error)"))
        }
    }

    /// A decoding error as a reader wants it: the path to the field and what was wrong.
    static func reason(_ error: any Error) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return p.isEmpty ? "the body" : String(p.drop { $0 == "." })
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?: return "\(path(c)): '\(key.stringValue)' is required"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .dataCorrupted(let c)?: return "\(path(c)): \(c.debugDescription)"
        default: return "\(error)"
        }
    }

    static func problem(_ p: VTNProblem, wwwAuthenticate: Bool = false) -> (HTTPResponse, HTTPBody?) {
        var response = HTTPResponse(status: .init(code: p.status))
        response.headerFields[.contentType] = "application/json"
        if wwwAuthenticate { response.headerFields[.wwwAuthenticate] = "Bearer" }
        let data = (try? JSONEncoder().encode(p.body)) ?? Data("{}".utf8)
        return (response, HTTPBody(data))
    }
}
