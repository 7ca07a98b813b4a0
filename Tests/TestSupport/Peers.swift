import Foundation

/// A Mosquitto broker of the test's own on a free loopback port, restartable.
public final class Broker {
    public static let binary = "/usr/sbin/mosquitto"
    public let port: Int
    let config: String
    var process: Process?

    public init() throws {
        port = Int.random(in: 20000...40000)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        config = dir.appendingPathComponent("mosquitto.conf").path
        try "listener \(port) 127.0.0.1\nallow_anonymous true\npersistence false\n".write(toFile: config, atomically: true, encoding: .utf8)
        try start()
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
    static let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
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
        self.port = port ?? Int.random(in: 20000...(45000 - devices))
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
    public static func read(port: Int, model: Int, points: [String], write: String? = nil) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python!)
        p.arguments = [peers + "/sunspec_read.py", "--port", String(port), "--model", String(model), "--points", points.joined(separator: ",")]
            + (write.map { ["--write", $0] } ?? [])
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PeerError("sunspec_read.py failed (\(p.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
        return o
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
