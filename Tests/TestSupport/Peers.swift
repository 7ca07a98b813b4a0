import Foundation

/// A test CA and a server certificate for 127.0.0.1 signed by it, made with openssl in a
/// folder: `ca.crt`, `server.crt`, `server.key` (readable to all: Mosquitto drops root).
public enum TestCertificates {
    public static func make(in directory: URL) throws {
        let d = directory.path
        try Broker.shell("""
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=fd-test-ca -keyout \(d)/ca.key -out \(d)/ca.crt && \
            openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout \(d)/server.key -out \(d)/server.csr && \
            printf 'subjectAltName=IP:127.0.0.1' > \(d)/san.ext && \
            openssl x509 -req -in \(d)/server.csr -CA \(d)/ca.crt -CAkey \(d)/ca.key -CAcreateserial -days 2 -extfile \(d)/san.ext -out \(d)/server.crt && \
            chmod 0644 \(d)/server.key
            """)
    }
}

/// A Mosquitto broker of the test's own on a free loopback port, restartable.
public final class Broker {
    public static let binary = "/usr/sbin/mosquitto"
    public let port: Int
    /// The broker's own folder (certificates, password file).
    public let directory: URL
    let config: String
    var process: Process?

    /// `tlsUser` set: TLS with a CA and server certificate made for the test
    /// (`directory/ca.crt`) and that user/password required, anonymous refused.
    public init(tlsUser: (name: String, password: String)? = nil) throws {
        port = TestPorts.pick()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fd-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        config = directory.appendingPathComponent("mosquitto.conf").path
        var text = "listener \(port) 127.0.0.1\npersistence false\n"
        if let user = tlsUser {
            let d = directory.path
            try TestCertificates.make(in: directory)
            try Self.shell("mosquitto_passwd -b -c \(d)/passwd '\(user.name)' '\(user.password)' && chmod 0644 \(d)/passwd")
            text += "cafile \(d)/ca.crt\ncertfile \(d)/server.crt\nkeyfile \(d)/server.key\nallow_anonymous false\npassword_file \(d)/passwd\n"
        } else {
            text += "allow_anonymous true\n"
        }
        // Mosquitto started as root drops to its own user: the files must be readable to it.
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try start()
        if tlsUser != nil { Thread.sleep(forTimeInterval: 0.5) }
    }

    public static func shell(_ command: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw PeerError("failed (\(p.terminationStatus)): \(command)") }
    }

    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["-c", config]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        Thread.sleep(forTimeInterval: 0.3)
    }

    public func stop() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        let end = Date().addingTimeInterval(5)
        while p.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
        process = nil
    }

    deinit { stop() }
}

/// paho-mqtt (PyPI), the independent peer, run from the test venv.
public enum Paho {
    public static let python = ProcessInfo.processInfo.environment["FLEXDISPATCH_TEST_PYTHON"]

    /// Runs a Python snippet with `port` defined; returns its standard output.
    public static func run(_ code: String, port: Int) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python!)
        p.arguments = ["-c", "port = \(port)\n" + code]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The first message a fresh paho subscriber gets on `topic` within 5 s (a retained one,
    /// typically); "" when none came.
    public static func firstMessage(_ topic: String, port: Int) throws -> String {
        try run("""
            import paho.mqtt.client as mqtt, time
            got = []
            c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
            c.on_message = lambda c, u, m: got.append(m.payload.decode())
            c.on_connect = lambda c, u, f, rc, p=None: c.subscribe("\(topic)", qos=1)
            c.connect("127.0.0.1", port)
            c.loop_start(); t = time.time()
            while not got and time.time() - t < 5: time.sleep(0.05)
            c.loop_stop()
            print(got[0] if got else "")
            """, port: port)
    }

    public static let publish = """
    import json, sys, paho.mqtt.client as mqtt
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    c.connect("127.0.0.1", port)
    c.loop_start()
    for topic, body in MESSAGES:
        c.publish(topic, json.dumps(body), qos=1).wait_for_publish(5)
    c.loop_stop(); c.disconnect()
    """
}


/// The SunSpec device peer: `Tests/Peers/sunspec_device.py` (pymodbus serving register maps
/// built from pysunspec2's model definitions), run from the test venv on free loopback
/// ports; `sunspec_read.py` is pysunspec2's own client, the independent reader.
public final class SunSpecPeer: @unchecked Sendable {
    public static let python = ProcessInfo.processInfo.environment["FLEXDISPATCH_TEST_PYTHON"]
    public static let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers").path

    /// True when the venv has pymodbus and pysunspec2.
    public static let available: Bool = {
        guard let python, FileManager.default.isExecutableFile(atPath: python) else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import pymodbus, sunspec2"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    public let port: Int
    public let devices: Int
    private let process = Process()

    /// Starts `devices` devices on consecutive ports; waits for the peer's READY line.
    public init(devices: Int = 1, port: Int? = nil, arguments: [String] = []) throws {
        self.devices = devices
        self.port = port ?? TestPorts.pick(consecutive: devices)
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [Self.peers + "/sunspec_device.py", "--port", String(self.port), "--devices", String(devices)] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        let handle = out.fileHandleForReading
        let ready = DispatchSemaphore(value: 0)
        final class Line: @unchecked Sendable { var text = "" }
        let line = Line()
        Thread.detachNewThread {
            while !line.text.contains("\n") {
                let d = handle.availableData
                if d.isEmpty { break }
                line.text += String(decoding: d, as: UTF8.self)
            }
            ready.signal()
        }
        guard ready.wait(timeout: .now() + 30) == .success, line.text.hasPrefix("READY") else {
            stop()
            throw PeerError("sunspec_device.py did not start: '\(line.text)'")
        }
    }

    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let end = Date().addingTimeInterval(5)
        while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }

    /// pysunspec2 reads (and optionally writes) points of one model; its JSON answer.
    public static func read(port: Int, model: Int, points: [String], write: String? = nil) async throws -> [String: Any] {
        let r = try await PeerProcess.run(python!, [peers + "/sunspec_read.py", "--port", String(port), "--model", String(model),
                                                    "--points", points.joined(separator: ",")] + (write.map { ["--write", $0] } ?? []))
        guard r.status == 0, let o = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] else {
            throw PeerError("sunspec_read.py failed (\(r.status)): \(r.err)")
        }
        return o
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// ElaadNL's openadr3-client (PyPI) as a firm's VEN: `Tests/Peers/openadr_ven.py` run from
/// `.venv-openadr` (Python ≥ 3.12), whose interpreter `scripts/test.sh` exports.
public enum OpenADRPeer {
    public static let python = PeerProcess.interpreter("FLEXDISPATCH_TEST_OPENADR_PYTHON")

    /// Runs the VEN script; its exit status, standard output and standard error.
    public static func ven(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        try await PeerProcess.run(python!, [SunSpecPeer.peers + "/openadr_ven.py"] + arguments)
    }
}

/// s2-python (PyPI) resource managers: `Tests/Peers/s2_battery_rm.py` (fill-rate based
/// control) and `s2_process_rm.py` (power-envelope based control), run from `.venv-s2`.
public enum S2Peer {
    public static let python = PeerProcess.interpreter("FLEXDISPATCH_TEST_S2_PYTHON")

    /// Runs one resource manager script; its exit status, standard output and standard error.
    public static func run(_ script: String, _ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        try await PeerProcess.run(python!, [SunSpecPeer.peers + "/" + script] + arguments)
    }
}

/// A peer process run to its end on a thread of its own, so that an async test waiting for
/// it does not hold one of the few cooperative threads the servers under test need.
public enum PeerProcess {
    /// The interpreter an environment variable names, when it is there.
    public static func interpreter(_ variable: String) -> String? {
        guard let p = ProcessInfo.processInfo.environment[variable], FileManager.default.isExecutableFile(atPath: p) else { return nil }
        return p
    }

    public static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: executable)
                    p.arguments = arguments
                    let out = Pipe(), err = Pipe()
                    p.standardOutput = out
                    p.standardError = err
                    try p.run()
                    let o = out.fileHandleForReading.readDataToEndOfFile()
                    let ed = err.fileHandleForReading.readDataToEndOfFile()
                    p.waitUntilExit()
                    continuation.resume(returning: (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: ed, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

/// A server of the test's own on loopback: `run` serves, asked for port 0, and passes the
/// port it bound to its argument; `start` returns that port once it is known.
public enum LoopbackServer {
    final class Port: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var current: Int { lock.withLock { value } }
        func set(_ v: Int) { lock.withLock { value = v } }
    }

    public static func start(_ run: @escaping @Sendable (@escaping @Sendable (Int) async -> Void) async throws -> Void) async throws
        -> (port: Int, task: Task<Void, any Error>) {
        let port = Port()
        let task = Task {
            do { try await run { port.set($0) } } catch {
                port.set(-1)
                throw error
            }
        }
        for _ in 0..<800 where port.current == 0 { try await Task.sleep(nanoseconds: 25_000_000) }
        guard port.current > 0 else {
            task.cancel()
            throw PeerError("the test's server did not start")
        }
        return (port.current, task)
    }
}

/// Ports for peers that must be told theirs in advance: below Linux's ephemeral range
/// (32768–60999), where servers bound to port 0 and outgoing connections take theirs.
public enum TestPorts {
    public static func pick(consecutive count: Int = 1) -> Int { Int.random(in: 20000...(32000 - count)) }
}
