// The park's VTN under its firms' load, with one client misbehaving at its limits.
//
//   cd Benchmarks && swift run -c release VTNLoad [--firms 46] [--seconds 15] [--json FILE]
//
// Runs the VTN in this process on loopback, its objects in a SQLite database of its own
// (as `vtn serve` keeps them), the clients in the same process on the same cores; then, in two phases of equal length, 46 VENs
// (one per firm, each with its own OAuth client) that poll their events and post a USAGE
// report every fourth poll, as fast as the VTN answers. In the second phase one more client
// misbehaves at its quota the whole time: 1 MiB+ bodies (413), reports of the largest size
// allowed (2,880 intervals), subscriptions beyond its quota (409) and wrong secrets (429).
// Prints the well-behaved VENs' latency percentiles (HdrHistogram) in each phase and their
// ratio, and what the misbehaving client was answered.
import Adapters
import AsyncHTTPClient
import Foundation
import Histogram
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import OpenADRAPI
import Storage

struct Options {
    var firms = 46
    var seconds = 15.0
    var json: String?

    init(_ arguments: [String]) {
        var k = 1
        while k < arguments.count {
            let value = k + 1 < arguments.count ? arguments[k + 1] : ""
            switch arguments[k] {
            case "--firms": firms = Int(value) ?? firms
            case "--seconds": seconds = Double(value) ?? seconds
            case "--json": json = value
            default: break
            }
            k += 2
        }
    }
}

/// Latencies of one phase, in microseconds.
final class Latencies: @unchecked Sendable {
    private let lock = NSLock()
    private var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    private(set) var errors = 0
    func record(_ micros: UInt64) { lock.withLock { _ = histogram.record(max(1, micros)) } }
    func error() { lock.withLock { errors += 1 } }
    var summary: [String: Double] {
        lock.withLock {
            ["count": Double(histogram.totalCount), "p50_ms": Double(histogram.valueAtPercentile(50)) / 1000,
             "p90_ms": Double(histogram.valueAtPercentile(90)) / 1000, "p99_ms": Double(histogram.valueAtPercentile(99)) / 1000,
             "max_ms": Double(histogram.max) / 1000, "errors": Double(errors)]
        }
    }
}

let options = Options(CommandLine.arguments)
let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(10), read: .seconds(30))))
let firms = (1...options.firms).map { String(format: "f%02d", $0) }
let scopes: Set<String> = ["read_targets", "read_ven_objects", "write_reports", "write_vens", "write_subscriptions"]
let auth = VTNAuth(clients: firms.map { .init(id: "ven-\($0)", secret: "secret-\($0)", scopes: scopes, targets: [$0]) }
                   + [.init(id: "ven-rogue", secret: "secret-rogue", scopes: scopes, targets: ["rogue"], callbackHosts: ["127.0.0.1"])])
let database = FileManager.default.temporaryDirectory.appendingPathComponent("fd-vtnload-\(UUID().uuidString).sqlite").path
defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
let service = try VTNService(auth: auth, documents: try SQLiteDatabase(path: database))
let program = try service.addProgram(.init(programName: "park"))
let now = Date()
let events: [String: String] = try Dictionary(uniqueKeysWithValues: (firms + ["rogue"]).map { firm in
    let e = try service.addEvent(.init(programID: program.value1.id, eventName: "dispatch-\(firm)", targets: [firm],
                                       intervalPeriod: .init(start: now, duration: "PT15M"),
                                       intervals: (0..<96).map { .init(id: Int32($0), payloads: [.init(_type: "DISPATCH_SETPOINT", values: [.init(value1: 100)])]) }))
    return (firm, e.value1.id)
})
let portBox = NIOLockedValueBox(0)
let server = Task { try await VTNServer(service: service, auth: auth, port: 0).run { port in portBox.withLockedValue { $0 = port } } }
while portBox.withLockedValue({ $0 }) == 0 { try await Task.sleep(nanoseconds: 20_000_000) }
let base = "http://127.0.0.1:\(portBox.withLockedValue { $0 })"

func call(_ method: HTTPMethod, _ path: String, token: String? = nil, basic: String? = nil, body: String? = nil,
          contentType: String = "application/json") async throws -> UInt {
    var r = HTTPClientRequest(url: base + path)
    r.method = method
    if let token { r.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let basic { r.headers.add(name: "Authorization", value: "Basic \(Data(basic.utf8).base64EncodedString())") }
    if let body {
        r.headers.add(name: "Content-Type", value: contentType)
        r.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await http.execute(r, timeout: .seconds(30))
    _ = try await response.body.collect(upTo: 8 << 20)
    return response.status.code
}

func token(_ client: String, _ secret: String) async throws -> String {
    var r = HTTPClientRequest(url: base + "/auth/token")
    r.method = .POST
    r.headers.add(name: "Authorization", value: "Basic \(Data("\(client):\(secret)".utf8).base64EncodedString())")
    r.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
    r.body = .bytes(ByteBuffer(string: "grant_type=client_credentials"))
    let response = try await http.execute(r, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 1 << 16)
    guard let o = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], let t = o["access_token"] as? String else {
        throw NSError(domain: "VTNLoad", code: 1, userInfo: [NSLocalizedDescriptionKey: "no token for \(client)"])
    }
    return t
}

func report(_ firm: String, intervals: Int) -> String {
    let list = (0..<intervals).map { #"{"id": \#($0), "payloads": [{"type": "USAGE", "values": [25]}]}"# }.joined(separator: ", ")
    return #"{"eventID": "\#(events[firm] ?? "?")", "clientName": "\#(firm)", "resources": [{"resourceName": "meter", "intervalPeriod": {"start": "\#(S2Messages.time(now))", "duration": "PT15M"}, "intervals": [\#(list)]}]}"#
}

var issued: [String: String] = [:]
for firm in firms { issued[firm] = try await token("ven-\(firm)", "secret-\(firm)") }
let tokens = issued
let rogueToken = try await token("ven-rogue", "secret-rogue")

/// The well-behaved VENs for `seconds`: poll events, report every fourth poll.
func wellBehaved(_ latencies: Latencies, seconds: Double) async {
    let end = Date().addingTimeInterval(seconds)
    await withTaskGroup(of: Void.self) { group in
        for firm in firms {
            group.addTask {
                var k = 0
                while Date() < end {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let status = k % 4 == 3
                        ? try? await call(.POST, "/reports", token: tokens[firm], body: report(firm, intervals: 4))
                        : try? await call(.GET, "/events?targets=\(firm)", token: tokens[firm])
                    if let status, status < 300 { latencies.record((DispatchTime.now().uptimeNanoseconds - start) / 1000) } else { latencies.error() }
                    k += 1
                }
            }
        }
    }
}

let answers = NIOLockedValueBox<[String: Int]>([:])
/// The misbehaving client until `end`.
func misbehave(until end: Date) async {
    let huge = report("rogue", intervals: 40_000), largest = report("rogue", intervals: VTNLimits.intervalsPerReport)
    let subscription = #"{"clientName": "rogue", "objectOperations": [{"objects": ["EVENT"], "operations": ["CREATE"], "callbackUrl": "http://127.0.0.1:9/hook"}]}"#
    var k = 0
    while Date() < end {
        let status: UInt?
        switch k % 4 {
        case 0: status = try? await call(.POST, "/reports", token: rogueToken, body: huge)
        case 1: status = try? await call(.POST, "/reports", token: rogueToken, body: largest)
        case 2: status = try? await call(.POST, "/subscriptions", token: rogueToken, body: subscription)
        default: status = try? await call(.POST, "/auth/token", basic: "ven-rogue:wrong-\(k)", body: "grant_type=client_credentials",
                                         contentType: "application/x-www-form-urlencoded")
        }
        answers.withLockedValue { $0["\(["oversized body", "largest report", "subscription", "wrong secret"][k % 4]) → \(status.map(String.init) ?? "error")", default: 0] += 1 }
        k += 1
    }
}

print("VTN load: \(firms.count) VENs, \(options.seconds) s per phase, \(ProcessInfo.processInfo.activeProcessorCount) cores")
let before = Latencies()
await wellBehaved(before, seconds: options.seconds)
let during = Latencies()
async let rogue: Void = misbehave(until: Date().addingTimeInterval(options.seconds))
await wellBehaved(during, seconds: options.seconds)
await rogue
server.cancel()

let b = before.summary, d = during.summary
func line(_ name: String, _ s: [String: Double]) -> String {
    String(format: "%-8@ requests %6.0f  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %8.2f ms  errors %.0f",
           name as NSString, s["count"]!, s["p50_ms"]!, s["p90_ms"]!, s["p99_ms"]!, s["max_ms"]!, s["errors"]!)
}
print(line("before", b))
print(line("during", d))
print(String(format: "during/before: p50 %.2f×  p99 %.2f×", d["p50_ms"]! / max(b["p50_ms"]!, 1e-9), d["p99_ms"]! / max(b["p99_ms"]!, 1e-9)))
for (k, n) in answers.withLockedValue({ $0 }).sorted(by: { $0.key < $1.key }) { print("misbehaving client: \(k): \(n)") }
if let path = options.json {
    let out: [String: Any] = ["firms": firms.count, "secondsPerPhase": options.seconds, "before": b, "during": d,
                              "misbehaving": answers.withLockedValue { $0 }]
    try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: path))
}
try await http.shutdown()
