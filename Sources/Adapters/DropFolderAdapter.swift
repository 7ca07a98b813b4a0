import Foundation
import Logging
import RunHistory

/// The files adapter: a drop folder a legacy system writes CSV or JSON files into. Each
/// new file is decoded and validated, its accepted samples stored in one transaction, and
/// only then moved to `processed/` (so nothing accepted is lost if the program stops in
/// between, and nothing is ingested twice); a file that cannot be decoded goes to
/// `rejected/` with `<name>.error.txt` beside it. Hidden files and `*.tmp`/`*.part` files
/// (still being written) are left alone.
public struct DropFolderAdapter: Sendable {
    public let feed: FeedConfig.FilesFeed
    public let validator: MeasurementValidator
    let logger = Logger(label: "flexdispatch.feeds.files")

    public init(feed: FeedConfig.FilesFeed, validator: MeasurementValidator) {
        self.feed = feed
        self.validator = validator
    }

    public struct Outcome: Sendable, Equatable {
        public var files = 0, rejectedFiles = 0, accepted = 0, duplicates = 0, rejectedSamples = 0
    }

    /// Processes every file waiting in the folder once.
    public func ingestOnce(into store: any MeasurementStore, now: Date = Date()) throws -> Outcome {
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: feed.folder)
        try fm.createDirectory(at: folder.appendingPathComponent("processed"), withIntermediateDirectories: true)
        try fm.createDirectory(at: folder.appendingPathComponent("rejected"), withIntermediateDirectories: true)
        let names = try fm.contentsOfDirectory(atPath: folder.path).filter {
            !$0.hasPrefix(".") && ($0.lowercased().hasSuffix(".csv") || $0.lowercased().hasSuffix(".json"))
        }.sorted()
        var outcome = Outcome()
        let source = "files:\(feed.name)"
        for name in names {
            let url = folder.appendingPathComponent(name)
            outcome.files += 1
            guard let data = fm.contents(atPath: url.path) else { continue }
            let samples: [RawSample]
            do { samples = try DropFolderCodec.decode(data, name: name, columns: feed.columns) } catch {
                outcome.rejectedFiles += 1
                logger.error("\(feed.folder)/\(name): \(error); moved to rejected/")
                try? store.logEvent(source: source, series: "*", kind: "rejected-file", message: "\(name): \(error)")
                try move(url, to: folder.appendingPathComponent("rejected"))
                try Data("\(error)\n".utf8).write(to: folder.appendingPathComponent("rejected/\(name).error.txt"), options: .atomic)
                continue
            }
            let result = try validator.ingest(samples, source: source, context: "\(name): ", into: store, now: now) { r in
                logger.warning("\(feed.folder)/\(name): rejected \(r)")
            }
            outcome.accepted += result.inserted
            outcome.duplicates += result.duplicates
            outcome.rejectedSamples += result.rejected
            try move(url, to: folder.appendingPathComponent("processed"))
        }
        return outcome
    }

    /// Moves a file aside, never overwriting an earlier one of the same name.
    func move(_ url: URL, to folder: URL) throws {
        var target = folder.appendingPathComponent(url.lastPathComponent)
        var k = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = folder.appendingPathComponent("\(k)-\(url.lastPathComponent)")
            k += 1
        }
        try FileManager.default.moveItem(at: url, to: target)
    }
}
