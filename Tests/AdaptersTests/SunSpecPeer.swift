import Foundation

/// The SunSpec device peer: `Tests/Peers/sunspec_device.py` (pymodbus serving register maps
/// built from pysunspec2's model definitions), run from the test venv on free loopback
/// ports; `sunspec_read.py` is pysunspec2's own client, the independent reader.
final class SunSpecPeer: @unchecked Sendable {
    static let python = ProcessInfo.processInfo.environment["FLEXDISPATCH_TEST_PYTHON"]
    static let peers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers").path

    /// True when the venv has pymodbus and pysunspec2.
    static let available: Bool = {
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

    let port: Int
    let devices: Int
    private let process = Process()

    /// Starts `devices` devices on consecutive ports; waits for the peer's READY line.
    init(devices: Int = 1, port: Int? = nil, arguments: [String] = []) throws {
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

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let end = Date().addingTimeInterval(5)
        while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }

    /// pysunspec2 reads (and optionally writes) points of one model; its JSON answer.
    static func read(port: Int, model: Int, points: [String], write: String? = nil) throws -> [String: Any] {
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

struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
