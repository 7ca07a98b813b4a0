import Crypto
import DataFiles
import Foundation
import LinearProgramming
import ParkModel
import RunHistory
import Storage

/// The program's version, recorded in manifests and the run history.
public enum FlexDispatchVersion {
    /// The version written into manifests and the run history.
    public static let string = "0.5.0"
}

/// `manifest.json` of a run: what went in (every input file with its SHA-256, copied
/// beside the manifest under `inputs/`), how it was solved (program version, solver
/// settings, platform) and what came out (status, objective, settlements, value of the
/// cluster, and a digest of them). `flexdispatch replay` re-runs from the copied inputs.
public struct RunManifest: Codable, Sendable {
    /// One input file: its path under `inputs/`, its SHA-256 and size.
    public struct InputFile: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var bytes: Int
    }
    /// Where the run was made.
    public struct Platform: Codable, Sendable {
        public var os: String
        public var architecture: String
        public var processors: Int
        public var hostname: String
    }
    /// What came out: the figures a replay compares, and their digest.
    public struct Result: Codable, Sendable {
        public var status: String
        public var objective: Double?
        public var valueOfCluster: Double?
        public var settlement: [String: Double]
        public var standaloneCost: [String: Double]
        public var digest: String
    }

    /// The manifest format (1).
    public var formatVersion = 1
    /// The program that wrote it.
    public var program = "flexdispatch"
    /// Its version.
    public var programVersion = FlexDispatchVersion.string
    /// When the run started (UTC, ISO 8601).
    public var createdAt: String
    /// The scenario's name.
    public var scenario: String
    /// The scenario folder the run read, as given on the command line.
    public var scenarioDirectory: String
    /// Inputs copied next to the manifest (relative to the manifest's folder).
    public var inputsDirectory = "inputs"
    /// Where the scenario folder lies inside `inputsDirectory` when the run read files from
    /// outside it (e.g. `"timeseries": "../ts.csv"`: the inputs keep their relative places);
    /// nil when every input was inside the scenario folder.
    public var scenarioSubdirectory: String?
    /// Every input file the run read.
    public var inputs: [InputFile]
    /// SHA-256 over the sorted (path, file hash) pairs: the scenario's content hash.
    public var inputsDigest: String
    /// False when the run dispatched on the CSV's own values of flagged series (--actuals).
    public var forecastFlagged: Bool
    /// The solver settings the run used (a replay uses them).
    public var solverSettings: SolverSettings
    /// "soft" when the run's limits were soft (a replay uses them); absent for hard limits.
    public var limits: LimitMode?
    /// For a re-plan: its first step, horizon and start state (a replay uses them), what it replaces.
    public var revision: PlanRevision?
    /// Where the run was made.
    public var platform: Platform
    /// What came out.
    public var result: Result
    /// The run's id in the run history, when it was recorded.
    public var runID: Int64?

    /// The manifest of a solved scenario whose inputs are `inputs`.
    public init(scenario s: Scenario, run r: DispatchRun, scenarioDirectory: String, inputs: [InputFile],
                scenarioSubdirectory: String? = nil, forecastFlagged: Bool, settings: SolverSettings, createdAt: Date) {
        self.createdAt = ISO8601Formatting.string(createdAt)
        scenario = s.name
        self.scenarioDirectory = scenarioDirectory
        self.inputs = inputs
        self.scenarioSubdirectory = scenarioSubdirectory
        inputsDigest = InputFiles.digest(inputs)
        self.forecastFlagged = forecastFlagged
        solverSettings = settings
        limits = r.limits == .soft ? .soft : nil
        let info = ProcessInfo.processInfo
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "other"
        #endif
        platform = Platform(os: info.operatingSystemVersionString, architecture: arch, processors: info.activeProcessorCount,
                            hostname: info.hostName)
        result = Self.result(r)
    }

    /// The figures of `r` a replay compares, with their digest (`ResultDigest`).
    public static func result(_ r: DispatchRun) -> Result {
        let standalone = r.standaloneCost.compactMapValues { $0 }
        return Result(status: r.status.rawValue, objective: r.objective, valueOfCluster: r.valueOfCluster, settlement: r.settlement,
                      standaloneCost: standalone, digest: ResultDigest.of(r))
    }

    /// Writes the manifest as indented JSON with sorted keys, atomically.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a manifest; an unreadable or foreign file is a `StoreError` naming it.
    public static func read(path: String) throws -> RunManifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw StoreError("\(path): cannot read the file") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode(RunManifest.self, from: data) } catch {
            throw StoreError("\(path): not a FlexDispatch manifest (\(error))")
        }
    }
}

/// SHA-256 of the billing-relevant result: status, objective, value of the cluster and
/// every firm's settlement and standalone cost, each printed to 10 significant digits (so
/// that rounding noise far below the solver's 1e-8 tolerance does not change it).
public enum ResultDigest {
    /// SHA-256 over the status, objective, settlements and schedule of `r`.
    public static func of(_ r: DispatchRun) -> String {
        func g(_ v: Double?) -> String { v.map { String(format: "%.9e", $0 == 0 ? 0 : $0) } ?? "null" }
        var text = "status=\(r.status.rawValue)\nobjective=\(g(r.objective))\nvalue=\(g(r.valueOfCluster))\n"
        for (id, v) in r.settlement.sorted(by: { $0.key < $1.key }) { text += "settlement \(id)=\(g(v))\n" }
        for (id, v) in r.standaloneCost.sorted(by: { $0.key < $1.key }) { text += "standalone \(id)=\(g(v))\n" }
        return InputFiles.hex(SHA256.hash(data: Data(text.utf8)))
    }
}

/// The files a run read, with their hashes, relative to the deepest folder that holds
/// them all and the scenario folder (the scenario folder itself when every input is inside
/// it), so that relative references between them still resolve in the copy.
public struct InputSnapshot: Sendable {
    /// Each file's path relative to the common folder, SHA-256 and size, sorted by path.
    public var files: [RunManifest.InputFile]
    /// The scenario folder relative to the common folder; nil when they are the same.
    public var scenarioSubdirectory: String?
    let contents: [Data]

    /// The files as the reader read them: what is hashed and copied is what the run used.
    public init(files read: [InputContent], scenarioDirectory: String) throws {
        let scenario = InputContent.physical(scenarioDirectory)
        var unique: [String: Data] = [:]
        for f in read { unique[f.path] = f.data }
        let absolute = unique.keys.sorted()
        var root = scenario.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for p in absolute {
            let parts = p.split(separator: "/").dropLast().map(String.init)
            var k = 0
            while k < root.count && k < parts.count && root[k] == parts[k] { k += 1 }
            root = Array(root.prefix(k))
        }
        let rootPath = "/" + root.joined(separator: "/")
        func relative(_ p: String) -> String { String(p.dropFirst(rootPath == "/" ? 1 : rootPath.count + 1)) }
        var files: [RunManifest.InputFile] = [], contents: [Data] = []
        for p in absolute {
            let data = unique[p] ?? Data()
            files.append(.init(path: relative(p), sha256: InputFiles.hex(SHA256.hash(data: data)), bytes: data.count))
            contents.append(data)
        }
        self.files = files
        self.contents = contents
        scenarioSubdirectory = scenario == rootPath ? nil : relative(scenario)
    }

    /// Writes the files below `target`, keeping their relative places.
    public func write(to target: URL) throws {
        for (f, data) in zip(files, contents) {
            let destination = target.appendingPathComponent(f.path)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: destination)
        }
    }
}

/// The files below a folder (a run's copied `inputs/`): every regular file.
public enum InputFiles {
    /// Every file under `directory` with its SHA-256 and size, sorted by path.
    public static func collect(_ directory: String) throws -> [RunManifest.InputFile] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: []) else {
            throw StoreError("\(directory): cannot list the folder")
        }
        var out: [RunManifest.InputFile] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            guard let data = FileManager.default.contents(atPath: url.path) else { throw StoreError("\(url.path): cannot read") }
            out.append(.init(path: relative, sha256: hex(SHA256.hash(data: data)), bytes: data.count))
        }
        return out.sorted { $0.path < $1.path }
    }

    /// SHA-256 over the sorted (path, file hash) pairs: a scenario's content hash.
    public static func digest(_ files: [RunManifest.InputFile]) -> String {
        hex(SHA256.hash(data: Data(files.map { "\($0.path)\u{0}\($0.sha256)\n" }.joined().utf8)))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
