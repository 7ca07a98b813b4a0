import DataFiles
import Foundation
import Logging
import Measurements
import RunHistory
import Storage

/// The files adapter: a drop folder a legacy system writes CSV or JSON files into. Each
/// new file is decoded and validated, its accepted samples stored in one transaction, and
/// only then moved to `processed/` (so nothing accepted is lost if the program stops in
/// between, and nothing is ingested twice); a file that cannot be decoded goes to
/// `rejected/` with `<name>.error.txt` beside it. Hidden files and `*.tmp`/`*.part` files
/// (still being written) are left alone.
public struct DropFolderAdapter: Sendable {
    public let feed: FeedConfig.FilesFeed
    public let validator: MeasurementValidator
    /// Samples decoded, validated and stored at a time: a large file costs its bytes plus one part.
    public let chunkSamples: Int
    let logger = Logger(label: "flexdispatch.feeds.files")

    public init(feed: FeedConfig.FilesFeed, validator: MeasurementValidator, chunkSamples: Int = 50_000) {
        self.feed = feed
        self.validator = validator
        self.chunkSamples = max(1, chunkSamples)
    }

    /// What one pass over the folder did: files read and rejected, samples stored, duplicates, samples rejected.
    public struct Outcome: Sendable, Equatable {
        public var files = 0, rejectedFiles = 0, accepted = 0, duplicates = 0, rejectedSamples = 0
    }

    /// Processes every file waiting in the folder once.
    public func ingestOnce(into store: any MeasurementStore, now: Date = Date()) throws -> Outcome {
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: feed.folder)
        // processed/ and rejected/ must be folders of the drop folder's own: a symbolic link
        // there would move a firm's files into another firm's folder.
        for sub in ["processed", "rejected"] {
            let path = folder.appendingPathComponent(sub).path
            var st = stat()
            if lstat(path, &st) == 0 {
                guard st.st_mode & S_IFMT == S_IFDIR else {
                    throw DropFolderCodec.FileError(line: 0, message: "\(path) is not a folder (a symbolic link is not followed); nothing was read")
                }
            } else {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
        }
        let names = try fm.contentsOfDirectory(atPath: folder.path).filter {
            !$0.hasPrefix(".") && ($0.lowercased().hasSuffix(".csv") || $0.lowercased().hasSuffix(".json"))
        }.sorted()
        var outcome = Outcome()
        let source = "files:\(feed.name)"
        for name in names {
            let url = folder.appendingPathComponent(name)
            let shown = Printable.escaped(name)
            outcome.files += 1
            do {
                let data = try Self.read(url, limit: Self.maxFileBytes)
                // A first pass decodes without keeping anything, so a file with a structural
                // error is rejected whole before any of it is stored; the second stores it
                // in parts, each part one transaction (a file stopped half-way is read again
                // on the next pass and its stored part counts as duplicates).
                try DropFolderCodec.decode(data, name: name, columns: feed.columns, chunk: chunkSamples) { _ in }
                var tally = IngestTally(source: source, context: "\(shown): ")
                let warn: (Rejection) -> Void = { r in logger.warning("\(feed.folder)/\(shown): rejected \(r)") }
                try DropFolderCodec.decode(data, name: name, columns: feed.columns, chunk: chunkSamples) { part in
                    try validator.ingest(part, tally: &tally, into: store, now: now, onRejection: warn)
                }
                tally.finish(into: store, onRejection: warn)
                outcome.accepted += tally.inserted
                outcome.duplicates += tally.duplicates
                outcome.rejectedSamples += tally.rejected
                try move(url, to: folder.appendingPathComponent("processed"))
            } catch let error as StoreError {
                throw error
            } catch {
                // One file that cannot be read, decoded or moved is set aside; the pass goes on.
                outcome.rejectedFiles += 1
                logger.error("\(feed.folder)/\(shown): \(error); moved to rejected/")
                try? store.logEvent(source: source, series: "*", kind: "rejected-file", message: "\(shown): \(error)")
                do {
                    let moved = try move(url, to: folder.appendingPathComponent("rejected"))
                    try Data("\(error)\n".utf8).write(to: moved.deletingLastPathComponent().appendingPathComponent(Self.fit(moved.lastPathComponent, suffix: ".error.txt")),
                                                       options: .atomic)
                } catch {
                    logger.error("\(feed.folder)/\(shown): could not be moved to rejected/ (\(error)); left where it is")
                }
            }
        }
        return outcome
    }

    /// Largest file a drop folder takes (larger files are rejected unread).
    public static let maxFileBytes = 256 << 20

    /// The file's bytes when it is a regular file of its own (not a symbolic link, not a second
    /// name of another file) no larger than `limit`.
    static func read(_ url: URL, limit: Int) throws -> Data {
        // Opened without following a link, then judged by what was opened (no window between
        // a check of the name and the open).
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let why = errno == ELOOP ? "a symbolic link (not followed)" : String(cString: strerror(errno))
            throw DropFolderCodec.FileError(line: 0, message: "cannot be read: \(why)")
        }
        let h = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        defer { try? h.close() }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw DropFolderCodec.FileError(line: 0, message: "not a regular file (a symbolic link or a folder is not followed)")
        }
        guard st.st_nlink == 1 else { throw DropFolderCodec.FileError(line: 0, message: "a second name of another file (a hard link) is not read") }
        guard Int64(st.st_size) <= Int64(limit) else {
            throw DropFolderCodec.FileError(line: 0, message: "\(st.st_size) bytes, more than the \(limit) a drop folder takes")
        }
        let data = try h.read(upToCount: limit + 1) ?? Data()
        guard data.count <= limit else { throw DropFolderCodec.FileError(line: 0, message: "grew beyond the \(limit) bytes a drop folder takes while it was read") }
        return data
    }

    /// `<name><suffix>`, the name cut (keeping a hash of the whole) to fit the file system's 255 bytes.
    static func fit(_ name: String, suffix: String = "") -> String {
        guard name.utf8.count + suffix.utf8.count > 255 else { return name + suffix }
        var hash: UInt64 = 14_695_981_039_346_656_037   // FNV-1a, the same on every run
        for b in name.utf8 { hash = (hash ^ UInt64(b)) &* 1_099_511_628_211 }
        let tag = "-" + String(hash, radix: 16)
        var cut = Substring(name)
        while cut.utf8.count + tag.utf8.count + suffix.utf8.count > 255 { cut = cut.dropLast() }
        return cut + tag + suffix
    }

    /// Moves a file aside, never overwriting an earlier one of the same name; returns where.
    @discardableResult
    func move(_ url: URL, to folder: URL) throws -> URL {
        var target = folder.appendingPathComponent(url.lastPathComponent)
        var k = 1
        while FileManager.default.fileExists(atPath: target.path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: target.path)) != nil {
            target = folder.appendingPathComponent(Self.fit("\(k)-\(url.lastPathComponent)"))
            k += 1
        }
        try FileManager.default.moveItem(at: url, to: target)
        return target
    }
}
