import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import OpenAPIRuntime

/// Bearer tokens for the VEN's requests: fetched with client credentials, kept until half
/// their lifetime, fetched again once after a 401.
///
/// The token request is the OpenADR 3.1 `clientCredentialRequest`, form-urlencoded:
/// `grant_type=client_credentials`, `scope`, and — with `CredentialMode.body`, the default —
/// `client_id` and `client_secret`; with `CredentialMode.basic` the id and secret go as
/// `Authorization: Basic` (RFC 6749 §2.3.1) instead. A refusal is an error carrying what the
/// token endpoint said: the OAuth error and its description, or the problem's title and
/// detail, or the start of its text.
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

    /// The form body of the token request (and the Basic header, in that mode).
    static func tokenRequest(_ settings: VENClient.Settings) -> (form: String, authorization: String?) {
        var fields = [("grant_type", "client_credentials")]
        var authorization: String?
        switch settings.credentialMode {
        case .body: fields += [("client_id", settings.clientID), ("client_secret", settings.secret)]
        case .basic: authorization = "Basic " + Data("\(settings.clientID):\(settings.secret)".utf8).base64EncodedString()
        }
        if !settings.scopes.isEmpty { fields.append(("scope", settings.scopes)) }
        return (fields.map { "\($0)=\(formEncoded($1))" }.joined(separator: "&"), authorization)
    }

    /// application/x-www-form-urlencoded: unreserved characters as they are, the rest
    /// percent-encoded (a space as %20).
    static func formEncoded(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? s
    }

    func token(now: Date = Date()) async throws -> String {
        if let c = cached.withLockedValue({ $0 }), c.until > now { return c.token }
        let url = try await tokenURL()
        let (form, authorization) = Self.tokenRequest(settings)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await http.execute(request, timeout: .seconds(Int64(settings.timeoutSeconds)))
        let body = Data(buffer: try await response.body.collect(upTo: 1 << 16))
        let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        guard response.status == .ok, let token = o["access_token"] as? String else {
            let said = VENAnswer.describe(body).map { ": \($0)" } ?? ""
            throw VENError("token from \(url) (credentials \(settings.credentialMode.description)): HTTP \(response.status.code)\(said)")
        }
        let lifetime = (o["expires_in"] as? NSNumber)?.doubleValue ?? (o["expires_in"] as? String).flatMap(Double.init) ?? 3600
        cached.withLockedValue { $0 = (token, now.addingTimeInterval(lifetime / 2)) }
        return token
    }

    func tokenURL() async throws -> URL {
        if let u = settings.tokenURL { return u }
        let response = try await http.execute(HTTPClientRequest(url: settings.baseURL.appendingPathComponent("auth/server").absoluteString),
                                              timeout: .seconds(Int64(settings.timeoutSeconds)))
        let body = Data(buffer: try await response.body.collect(upTo: 1 << 16))
        guard response.status == .ok, let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
              let s = o["tokenURL"] as? String, let u = URL(string: s, relativeTo: settings.baseURL) else {
            let said = response.status == .ok ? "" : VENAnswer.describe(body).map { ": \($0)" } ?? ""
            throw VENError("\(settings.baseURL.appendingPathComponent("auth/server")) gave no tokenURL (HTTP \(response.status.code)\(said))")
        }
        return u.absoluteURL
    }
}

/// What an error answer says, in a line: the OAuth error and its description (RFC 6749
/// §5.2), the problem's title and detail (RFC 9457), or else the start of its text.
enum VENAnswer {
    static func describe(_ data: Data) -> String? {
        if let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            let parts = ["error", "error_description", "title", "detail"].compactMap { o[$0] as? String }.filter { !$0.isEmpty }
            if !parts.isEmpty { return parts.joined(separator: ": ") }
        }
        let text = String(decoding: data.prefix(300), as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? nil : text
    }
}

/// Error answers (4xx, 5xx) read as the spec's `problem`, whatever shape the VTN gives
/// them, so that the generated client decodes the problem and the error names what the VTN
/// said: a `status` sent as a string (`"400"`) becomes the number (it is dropped when it is
/// not one), a problem typed `application/problem+json` (RFC 9457) is read as the JSON it is,
/// and a body that is not a JSON object (a proxy's HTML page, plain text) becomes a problem
/// with the start of the text as detail.
struct VENProblems: ClientMiddleware {
    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status.code >= 400 else { return (response, responseBody) }
        var data = Data()
        if let responseBody { data = (try? await Data(collecting: responseBody, upTo: 1 << 20)) ?? Data("(a body over 1 MiB)".utf8) }
        var normal = response
        normal.headerFields[.contentType] = "application/json"
        return (normal, HTTPBody(Self.problem(data, status: response.status)))
    }

    static func problem(_ data: Data, status: HTTPResponse.Status) -> Data {
        var o: [String: Any]
        if let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            o = object
        } else {
            o = ["status": Int(status.code)]
            if !status.reasonPhrase.isEmpty { o["title"] = status.reasonPhrase }
            if let text = VENAnswer.describe(data) { o["detail"] = text }
        }
        switch o["status"] {
        case let s as String: o["status"] = Int(s.trimmingCharacters(in: .whitespaces))
        case let n as NSNumber where n.doubleValue == n.doubleValue.rounded() && (100..<600).contains(n.doubleValue): o["status"] = n.intValue
        default: o["status"] = nil
        }
        for key in ["type", "title", "detail", "instance"] {
            if let v = o[key], !(v is String) { o[key] = v is NSNull ? nil : "\(v)" }
        }
        return (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}
