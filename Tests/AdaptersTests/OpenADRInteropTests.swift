@testable import Adapters
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import OpenADRAPI
import Testing
import TestSupport

/// A VTN that is not ours, differing from the park's in ways independent VTNs do:
/// the token request must carry `client_id` and `client_secret` in the form body (the spec's
/// `clientCredentialRequest`; HTTP Basic is ignored); a subscription is accepted only after
/// its callback answers `GET {callbackUrl}/echo?echo=…`; problems carry `status` as a string
/// and are typed `application/problem+json`; and the `programID`, `venName` and
/// `clientName` filters do nothing (every event, VEN and subscription is listed). Times are
/// whole seconds.
final class IndependentVTN: @unchecked Sendable {
    static let secret = "s3cret&=+ %é"
    static let time = "2025-06-01T10:00:00Z"
    struct State {
        var vens = [#"{"id": "ven-other", "createdDateTime": "\#(IndependentVTN.time)", "modificationDateTime": "\#(IndependentVTN.time)", "objectType": "VEN", "clientID": "someone", "venName": "someone-else"}"#]
        var subscriptions: [String: String] = ["sub-other": IndependentVTN.subscription("sub-other", client: "someone-else", program: "p1", callback: "http://127.0.0.1:9/x")]
        var probes: [String] = []
        var next = 0
    }

    let state = NIOLockedValueBox(State())
    var port = 0
    var task: Task<Void, any Error>?

    static func subscription(_ id: String, client: String, program: String?, callback: String) -> String {
        #"{"id": "\#(id)", "createdDateTime": "\#(time)", "modificationDateTime": "\#(time)", "objectType": "SUBSCRIPTION", "clientID": "c", "clientName": "\#(client)", "#
            + (program.map { #""programID": "\#($0)", "# } ?? "")
            + #""objectOperations": [{"objects": ["EVENT"], "operations": ["CREATE"], "callbackUrl": "\#(callback)"}]}"#
    }

    /// A PRICE event of one hour from 2025-06-02 09:00Z.
    static func event(_ id: String, program: String, price: Double, modified: String = time) -> String {
        #"{"id": "\#(id)", "createdDateTime": "\#(time)", "modificationDateTime": "\#(modified)", "objectType": "EVENT", "programID": "\#(program)", "priority": 0, "intervalPeriod": {"start": "2025-06-02T09:00:00Z", "duration": "PT1H"}, "intervals": [{"id": 0, "payloads": [{"type": "PRICE", "values": [\#(price)]}]}]}"#
    }

    static func json(_ s: String, _ status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    static func problem(_ status: HTTPResponse.Status, _ detail: String) -> Response {
        let body = #"{"type": "about:blank", "title": "\#(status.reasonPhrase)", "status": "\#(status.code)", "detail": "\#(detail)"}"#
        return Response(status: status, headers: [.contentType: "application/problem+json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func start() async throws {
        let state = self.state
        let router = Router()
        router.post("auth/token") { request, _ -> Response in
            let form = VTNServer.form(String(buffer: try await request.body.collect(upTo: 65536)))
            guard form["grant_type"] == "client_credentials", let id = form["client_id"], let secret = form["client_secret"] else {
                return Self.problem(.badRequest, "grant_type, client_id and client_secret are required in the form body")
            }
            guard id == "park-ven", secret == Self.secret else { return Self.problem(.unauthorized, "unknown client") }
            return Self.json(#"{"access_token": "tok", "token_type": "Bearer", "expires_in": 3600}"#)
        }
        router.get("programs") { _, _ in
            Self.json(#"[{"id": "p1", "createdDateTime": "\#(Self.time)", "modificationDateTime": "\#(Self.time)", "objectType": "PROGRAM", "programName": "tariff"}, {"id": "p2", "createdDateTime": "\#(Self.time)", "modificationDateTime": "\#(Self.time)", "objectType": "PROGRAM", "programName": "other-tariff"}]"#)
        }
        router.get("vens") { _, _ in Self.json("[" + state.withLockedValue { $0.vens }.joined(separator: ",") + "]") }
        router.post("vens") { request, _ -> Response in
            let o = try JSONSerialization.jsonObject(with: Data(buffer: try await request.body.collect(upTo: 65536))) as? [String: Any]
            let ven = state.withLockedValue { s -> String in
                s.next += 1
                let v = #"{"id": "ven-\#(s.next)", "createdDateTime": "\#(Self.time)", "modificationDateTime": "\#(Self.time)", "objectType": "VEN", "clientID": "park-ven", "venName": "\#(o?["venName"] as? String ?? "")"}"#
                s.vens.append(v)
                return v
            }
            return Self.json(ven, .created)
        }
        router.get("subscriptions") { _, _ in Self.json("[" + state.withLockedValue { $0.subscriptions.values.sorted() }.joined(separator: ",") + "]") }
        router.post("subscriptions") { request, _ -> Response in
            let o = try JSONSerialization.jsonObject(with: Data(buffer: try await request.body.collect(upTo: 65536))) as? [String: Any]
            let callback = ((o?["objectOperations"] as? [[String: Any]])?.first?["callbackUrl"] as? String) ?? ""
            let echo = "probe-\(UUID().uuidString)"
            let answer = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "\(callback)/echo?echo=\(echo)"), timeout: .seconds(5))
            var text: String?
            if let answer { text = String(buffer: try await answer.body.collect(upTo: 65536)) }
            state.withLockedValue { $0.probes.append("\(answer?.status.code ?? 0) \(text == echo ? "echoed" : "not echoed")") }
            guard answer?.status == .ok, text == echo else {
                return Self.problem(.badRequest, "the callback did not answer the echo probe (HTTP \(answer?.status.code ?? 0))")
            }
            let s = state.withLockedValue { s -> String in
                s.next += 1
                let sub = Self.subscription("sub-\(s.next)", client: o?["clientName"] as? String ?? "", program: o?["programID"] as? String, callback: callback)
                s.subscriptions["sub-\(s.next)"] = sub
                return sub
            }
            return Self.json(s, .created)
        }
        router.put("subscriptions/:id") { _, context -> Response in
            let id = context.parameters.get("id") ?? ""
            guard let s = state.withLockedValue({ $0.subscriptions[id] }) else { return Self.problem(.notFound, "no subscription \(id)") }
            return Self.json(s)
        }
        router.delete("subscriptions/:id") { _, context -> Response in
            let id = context.parameters.get("id") ?? ""
            guard let s = state.withLockedValue({ $0.subscriptions.removeValue(forKey: id) }) else { return Self.problem(.notFound, "no subscription \(id)") }
            return Self.json(s)
        }
        // The programID filter does nothing: p2's event, modified later, comes along.
        router.get("events") { _, _ in
            Self.json("[" + Self.event("e1", program: "p1", price: 0.25) + "," + Self.event("e2", program: "p2", price: 9.0, modified: "2025-06-01T11:00:00Z") + "]")
        }
        (port, task) = try await Self.serve(router)
    }

    /// Serves a test's routes on a free port, stopped (gracefully) by cancelling the task.
    static func serve(_ router: Router<BasicRequestContext>) async throws -> (port: Int, task: Task<Void, any Error>) {
        nonisolated(unsafe) let routes = router   // handed to the server task once, not shared
        return try await LoopbackServer.start { onRunning in
            let app = Application(router: routes, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: Logger(label: "test-vtn"))
            try await GracefulServing.run(app, signals: [], logger: Logger(label: "test-vtn"))
        }
    }

    func settings() -> VENClient.Settings {
        var s = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(port)")!, clientID: "park-ven", secret: Self.secret, venName: "ordos-park")
        s.tokenURL = s.baseURL.appendingPathComponent("auth/token")
        s.programName = "tariff"
        s.timeoutSeconds = 5
        return s
    }
}

/// Log records kept in memory, for tests that check what was logged.
final class CapturedLogs: @unchecked Sendable {
    let lock = NSLock()
    var records: [(Logger.Level, String)] = []
    var all: [(Logger.Level, String)] { lock.withLock { records } }
    func logger(_ label: String) -> Logger { Logger(label: label) { _ in Handler(logs: self) } }

    struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { logs.lock.withLock { logs.records.append((event.level, "\(event.message)")) } }
    }
}

@Suite("Adapters: our VEN against another VTN (OpenADR 3.1 interop)", .serialized)
struct OpenADRInteropTests {
    /// The client id and secret go in the token request's form body (form-encoded: the
    /// secret has `&`, `=`, `+`, a space and an `é`), as the spec's `clientCredentialRequest`
    /// has them. In Basic mode this VTN refuses, and the error carries its problem's detail.
    @Test func credentialsGoInTheFormBody() async throws {
        let vtn = IndependentVTN()
        try await vtn.start()
        defer { vtn.task?.cancel() }
        #expect(try await VENClient(vtn.settings()).register() == "ven-1", "the VEN did not get a token with the spec's form")

        var basic = vtn.settings()
        basic.credentialMode = .basic
        do {
            _ = try await VENClient(basic).register()
            Issue.record("a token without credentials in the body")
        } catch {
            #expect("\(error)".contains("HTTP 400: Bad Request: grant_type, client_id and client_secret are required in the form body"), "\(error)")
        }
        #expect(VENTokens.tokenRequest(basic).form == "grant_type=client_credentials&scope=read_targets%20read_ven_objects%20write_reports%20write_vens")
        #expect(VENTokens.tokenRequest(vtn.settings()).authorization == nil)
    }

    /// The VTN checks the callback with the echo probe before it accepts the subscription;
    /// the webhook answers it, so the first subscription succeeds. A callback that does not
    /// answer is refused with a problem whose `status` is a string: the error names the
    /// VTN's detail. Another client's subscription, listed because the VTN does not filter by
    /// client name, is left alone; the VEN's own is removed on request.
    @Test func theWebhookAnswersTheEchoProbe() async throws {
        let vtn = IndependentVTN()
        try await vtn.start()
        defer { vtn.task?.cancel() }
        let ven = try VENClient(vtn.settings())
        let hook = VENWebhook(token: "hook-token", events: ven.known, port: 0)
        let (hookPort, hookTask) = try await LoopbackServer.start { onRunning in try await hook.run(onRunning: onRunning) }
        defer { hookTask.cancel() }

        let id = try await ven.subscribe(callbackURL: URL(string: "http://127.0.0.1:\(hookPort)/notifications")!, bearerToken: "hook-token")
        #expect(id == "sub-1", "the VEN updated another client's subscription instead of making its own")
        #expect(vtn.state.withLockedValue { $0.probes } == ["200 echoed"])
        #expect(vtn.state.withLockedValue { $0.subscriptions["sub-other"] } != nil)

        do {
            var other = vtn.settings()
            other.venName = "second-park"
            _ = try await VENClient(other).subscribe(callbackURL: URL(string: "http://127.0.0.1:\(hookPort)/elsewhere")!, bearerToken: "t")
            Issue.record("a callback that does not answer the probe was accepted")
        } catch {
            #expect("\(error)".contains("createSubscription") && "\(error)".contains("(HTTP 400)")
                && "\(error)".contains("the callback did not answer the echo probe (HTTP 404)"), "\(error)")
        }
        try await ven.unsubscribe(id)
        #expect(vtn.state.withLockedValue { $0.probes } == ["200 echoed", "404 not echoed"])
        #expect(vtn.state.withLockedValue { Set($0.subscriptions.keys) } == ["sub-other"])
        try await ven.unsubscribe(id)   // gone already: done
    }

    /// The VTN lists another program's event for the VEN's program (its filter does nothing):
    /// the VEN drops it, so the other program's price, modified later, does not override
    /// the program's own. A notification of the other program's event is ignored as well.
    /// The VEN found by name is the VEN's own, not the first the VTN lists.
    @Test func eventsOfOtherProgramsAreDropped() async throws {
        let vtn = IndependentVTN()
        try await vtn.start()
        defer { vtn.task?.cancel() }
        let ven = try VENClient(vtn.settings())
        #expect(try await ven.register() == "ven-1")
        #expect(try await ven.register() == "ven-1", "the VEN registered twice")
        let day = try #require(OpenADRDates.parse("2025-06-02T09:00:00Z"))
        let prices = try await ven.signals(from: day, to: day.addingTimeInterval(3600)).filter { $0.kind == .importPrice }.map(\.value)
        #expect(prices == [0.25], "another program's event set the price")
        #expect(ven.known.all.map(\.value1.id) == ["e1"])

        let notification = #"{"objectType": "EVENT", "operation": "UPDATE", "object": \#(IndependentVTN.event("e3", program: "p2", price: 7))}"#
        #expect(ven.known.apply(try OpenADRNotification.decode(Data(notification.utf8))) == .otherProgram)
        #expect(ven.knownSignals(from: day, to: day.addingTimeInterval(3600)).map(\.value) == [0.25])
    }

    /// Error answers in other shapes than the spec's: a problem typed
    /// `application/problem+json` with `status` as a string, a proxy's HTML page, a status
    /// the spec does not list for the operation. Each error names the status and what the
    /// answer said.
    @Test func errorAnswersKeepWhatTheVTNSaid() async throws {
        let mode = NIOLockedValueBox("problem")
        let router = Router()
        router.post("auth/token") { _, _ in IndependentVTN.json(#"{"access_token": "t", "token_type": "Bearer"}"#) }
        router.get("events") { _, _ -> Response in
            switch mode.withLockedValue({ $0 }) {
            case "problem": return IndependentVTN.problem(.internalServerError, "database down")
            case "proxy": return Response(status: .badGateway, headers: [.contentType: "text/html"],
                                          body: .init(byteBuffer: ByteBuffer(string: "<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>")))
            default: return IndependentVTN.json(#"{"title": "Conflict", "status": 409.5, "detail": "busy"}"#, .conflict)
            }
        }
        let (port, server) = try await IndependentVTN.serve(router)
        defer { server.cancel() }
        var settings = VENClient.Settings(baseURL: URL(string: "http://127.0.0.1:\(port)")!, clientID: "c", secret: "s", venName: "park")
        settings.tokenURL = settings.baseURL.appendingPathComponent("auth/token")
        let ven = try VENClient(settings)
        var errors: [String: String] = [:]
        for m in ["problem", "proxy", "undocumented"] {
            mode.withLockedValue { $0 = m }
            do {
                _ = try await ven.events()
                Issue.record("\(m): no error")
            } catch { errors[m] = "\(error)" }
        }
        #expect(errors["problem"]?.contains("internalServerError (HTTP 500): Internal Server Error: database down") == true, "\(errors)")
        #expect(errors["proxy"]?.contains("HTTP 502: <html><body> <h1>502 Bad Gateway</h1>") == true, "\(errors)")
        #expect(errors["undocumented"]?.contains("HTTP 409: Conflict: busy") == true, "\(errors)")
        #expect(errors.values.allSatisfy { $0.contains("searchAllEvents") }, "\(errors)")
    }

    /// A webhook or VTN stopped by cancelling its task shuts down gracefully — with a
    /// keep-alive connection open — and logs nothing at error level.
    @Test func aStoppedServerLogsNoErrors() async throws {
        let logs = CapturedLogs()
        let hook = VENWebhook(token: "t", events: VENEvents(), port: 0, logger: logs.logger("webhook"))
        let (hookPort, hookTask) = try await LoopbackServer.start { onRunning in try await hook.run(onRunning: onRunning) }
        let echo = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(hookPort)/notifications/echo?echo=a%20b"), timeout: .seconds(5))
        let echoed = String(buffer: try await echo.body.collect(upTo: 1024))
        #expect(echo.status == .ok && echoed == "a b")
        let missing = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(hookPort)/notifications/echo"), timeout: .seconds(5))
        #expect(missing.status == .badRequest)

        let auth = VTNAuth(clients: [])
        let vtn = VTNServer(service: try VTNService(auth: auth), auth: auth, port: 0, logger: logs.logger("vtn"))
        let (vtnPort, vtnTask) = try await LoopbackServer.start { onRunning in try await vtn.run(onRunning: onRunning) }
        #expect(try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(vtnPort)/auth/server"), timeout: .seconds(5)).status == .ok)

        hookTask.cancel()
        vtnTask.cancel()
        try await hookTask.value
        try await vtnTask.value
        let errors = logs.all.filter { $0.0 >= .error }.map(\.1)
        #expect(errors.isEmpty, "\(errors)")
        #expect(logs.all.contains { $0.1.contains("echo probe") })
    }
}
