import AsyncHTTPClient
import DataFiles
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import OpenADRAPI

/// The VTN's webhook notifications (OpenADR 3.1 "subscriptions"): when a program, event or
/// report is created, updated or deleted, every subscription whose object operations name
/// that kind and operation — and whose owner may see the object (its targets, its program,
/// its reports) — gets a `Notification` POSTed to its callback URL, with the subscription's
/// bearer token when it gave one.
///
/// Deliveries leave the request that caused them at once (a queue drained by `run()`), go
/// out to each callback URL in the order the changes happened, and are tried three times
/// (after 0.5 s and 1 s) before they are logged as failed; a subscriber that does not answer
/// delays only the notifications to it.
public final class VTNNotifier: Sendable {
    struct Delivery: Sendable {
        var subscription: String
        var url: String
        var token: String?
        var body: Data
        /// The private hosts the subscription's owner may name (`VTNAuth.Client.callbackHosts`).
        var allowedHosts: [String] = []
    }

    /// Per subscription id: notifications delivered, notifications given up on, the last error.
    public struct Outcome: Sendable, Equatable {
        public var delivered = 0
        public var failed = 0
        public var lastError: String?
    }

    let queue: AsyncStream<Delivery>
    let continuation: AsyncStream<Delivery>.Continuation
    let http: HTTPClient
    let timeoutSeconds: Int64
    let logger = Logger(label: "flexdispatch.vtn.notify")
    public let outcomes = NIOLockedValueBox<[String: Outcome]>([:])
    private let started = NIOLockedValueBox(false)

    /// The client notifications go out with: no redirects followed (a callback cannot send
    /// the VTN on to another host or port).
    public static let client: HTTPClient = {
        var c = HTTPClient.Configuration()
        c.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: c)
    }()

    public init(http: HTTPClient = VTNNotifier.client, timeoutSeconds: Int64 = 5) {
        (queue, continuation) = AsyncStream.makeStream(of: Delivery.self, bufferingPolicy: .bufferingNewest(10_000))
        self.http = http
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends what is queued until the task is cancelled: one lane per callback URL, so that
    /// a subscriber that does not answer holds up only its own notifications.
    /// Runs once per notifier (a second call returns at once, with a warning); after it
    /// ends, changes are no longer notified.
    public func run() async {
        guard started.withLockedValue({ s in defer { s = true }; return !s }) else {
            logger.warning("the notifier runs already (or ran): one VTNServer per VTNService")
            return
        }
        await withTaskGroup(of: Void.self) { group in
            var lanes: [String: AsyncStream<Delivery>.Continuation] = [:]
            for await d in queue {
                if lanes[d.url] == nil {
                    let (lane, c) = AsyncStream.makeStream(of: Delivery.self, bufferingPolicy: .bufferingNewest(1000))
                    lanes[d.url] = c
                    group.addTask { for await x in lane { await self.deliver(x) } }
                }
                lanes[d.url]?.yield(d)
            }
            for c in lanes.values { c.finish() }
        }
    }

    func enqueue(_ d: Delivery) { continuation.yield(d) }

    /// Checks that a callback URL answers before a subscription names it:
    /// `GET {callbackUrl}/echo?echo=VALUE` must answer 200 with VALUE as its body (surrounding
    /// white space aside). Throws a 400 problem naming the URL and what it answered.
    func probe(_ callbackUrl: String, allowedHosts: [String]) async throws {
        let value = (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 36) }.joined()
        let checked = (try? await NIOThreadPool.singleton.runIfActive { CallbackPolicy.target(callbackUrl, allowedHosts: allowedHosts) })
            ?? .failure(CallbackPolicy.Refusal(description: "the VTN is stopping"))
        let target: CallbackPolicy.Target
        switch checked {
        case .success(let t): target = t
        case .failure(let why): throw VTNProblem.badRequest("callbackUrl \(Self.shown(callbackUrl)): \(why)")
        }
        guard var c = URLComponents(string: target.url), c.scheme != nil, c.host != nil else {
            throw VTNProblem.badRequest("callbackUrl '\(Self.shown(callbackUrl))' is not an absolute URL")
        }
        c.path = (c.path.hasSuffix("/") ? String(c.path.dropLast()) : c.path) + "/echo"
        c.queryItems = (c.queryItems ?? []) + [URLQueryItem(name: "echo", value: value)]
        guard let url = c.url else { throw VTNProblem.badRequest("callbackUrl '\(Self.shown(callbackUrl))' gives no echo URL") }
        let answer: String
        do {
            var request = HTTPClientRequest(url: url.absoluteString)
            if let host = target.hostHeader { request.headers.replaceOrAdd(name: "Host", value: host) }
            let response = try await http.execute(request, timeout: .seconds(timeoutSeconds))
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            guard response.status == .ok else { throw VTNProblem.badRequest("callbackUrl \(Self.shown(callbackUrl)) did not answer the echo probe with 200") }
            answer = body.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch let p as VTNProblem {
            throw p
        } catch {
            throw VTNProblem.badRequest("callbackUrl \(Self.shown(callbackUrl)) could not be reached for the echo probe")
        }
        guard answer == value else {
            throw VTNProblem.badRequest("callbackUrl \(Self.shown(callbackUrl)) did not answer the echo probe with the value sent")
        }
    }

    func deliver(_ d: Delivery) async {
        var lastError = ""
        // The host is judged again as it resolves now (a name may have been pointed inside
        // since), off the threads that serve requests, and the request goes to the address judged.
        let checked = (try? await NIOThreadPool.singleton.runIfActive { CallbackPolicy.target(d.url, allowedHosts: d.allowedHosts) })
            ?? .failure(CallbackPolicy.Refusal(description: "the VTN is stopping"))
        let target: CallbackPolicy.Target
        switch checked {
        case .success(let t): target = t
        case .failure(let why):
            logger.warning("notification for subscription \(d.subscription) to \(Self.shown(d.url)) not sent: \(why)")
            outcomes.withLockedValue {
                $0[d.subscription, default: Outcome()].failed += 1
                $0[d.subscription, default: Outcome()].lastError = why.description
            }
            return
        }
        for attempt in 0..<3 {
            if attempt > 0 { try? await Task.sleep(nanoseconds: UInt64(attempt) * 500_000_000) }
            var r = HTTPClientRequest(url: target.url)
            if let host = target.hostHeader { r.headers.replaceOrAdd(name: "Host", value: host) }
            r.method = .POST
            r.headers.add(name: "Content-Type", value: "application/json")
            if let t = d.token { r.headers.add(name: "Authorization", value: "Bearer \(t)") }
            r.body = .bytes(ByteBuffer(bytes: d.body))
            do {
                let response = try await http.execute(r, timeout: .seconds(timeoutSeconds))
                _ = try? await response.body.collect(upTo: 1 << 16)
                if (200..<300).contains(response.status.code) {
                    outcomes.withLockedValue { $0[d.subscription, default: Outcome()].delivered += 1 }
                    return
                }
                lastError = "HTTP \(response.status.code)"
                if (400..<500).contains(response.status.code) && response.status.code != 429 { break }
            } catch {
                lastError = "\(error)"
            }
        }
        logger.warning("notification for subscription \(d.subscription) to \(Self.shown(d.url)) not delivered: \(lastError)")
        outcomes.withLockedValue {
            $0[d.subscription, default: Outcome()].failed += 1
            $0[d.subscription, default: Outcome()].lastError = lastError
        }
    }

    /// A callback URL as logs show it: scheme, host, port and path; no credentials, no query.
    static func shown(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return "(a callback URL)" }
        c.user = nil
        c.password = nil
        c.query = nil
        c.fragment = nil
        return Printable.escaped(c.string ?? "(a callback URL)", limit: 200)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(try OpenADRDates().encode(date))
        }
        return e
    }()
}

extension VTNService {
    /// What a notification is about: the object, its kind, the program it belongs to and
    /// who may see it.
    struct Change {
        var kind: Components.Schemas.ObjectTypes
        var object: Components.Schemas.Notification.ObjectPayload
        var targets: [String]?
        var programID: String?
        var visible: (VTNAuth.Grant) -> Bool
    }

    /// Queues the notification of `change` for every subscription that asked for it.
    func notify(_ operation: Components.Schemas.Notification.OperationPayload, _ change: Change) {
        let subscriptions = store.state.withLockedValue { $0.subscriptions }
        guard !subscriptions.isEmpty else { return }
        let body = Components.Schemas.Notification(objectType: change.kind, operation: operation, object: change.object, targets: change.targets)
        guard let data = try? VTNNotifier.encoder.encode(body) else { return }
        for s in subscriptions {
            if let p = s.value2.programID, p != change.programID { continue }
            if let wanted = s.value2.targets, !wanted.isEmpty, !Set(wanted).isSubset(of: Set(change.targets ?? [])) { continue }
            guard let g = auth.standingGrant(s.value3.clientID), change.visible(g) else { continue }
            for o in s.value2.objectOperations
            where o.objects.contains(change.kind) && o.operations.contains(where: { $0.rawValue == operation.rawValue }) {
                notifier.enqueue(.init(subscription: s.value1.id, url: o.callbackUrl, token: o.bearerToken, body: data, allowedHosts: g.callbackHosts))
            }
        }
    }

    func notify(_ operation: Components.Schemas.Notification.OperationPayload, program p: Components.Schemas.Program) {
        notify(operation, Change(kind: .program, object: .program(p), targets: p.value2.targets, programID: p.value1.id) {
            VTNQuery.visible(p.value2.targets, to: $0, query: nil)
        })
    }

    func notify(_ operation: Components.Schemas.Notification.OperationPayload, event e: Components.Schemas.Event) {
        notify(operation, Change(kind: .event, object: .event(e), targets: e.value2.targets, programID: e.value2.programID) {
            VTNQuery.visible(e.value2.targets, to: $0, query: nil)
        })
    }

    func notify(_ operation: Components.Schemas.Notification.OperationPayload, report r: Components.Schemas.Report) {
        let program = store.state.withLockedValue { $0.events.first { $0.value1.id == r.value2.eventID }?.value2.programID }
        notify(operation, Change(kind: .report, object: .report(r), targets: nil, programID: program) { [self] in
            owned(r.value3.clientID, by: $0)
        })
    }
}
