import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A run's output folder, replaced as a whole or not at all.
///
/// - `check` refuses a target that is not a previous FlexDispatch output (recognised by its
///   `manifest.json`) or an empty folder unless forced; and always one that is, or holds,
///   an input of the run (compared by device and inode, so symbolic links, hard links and
///   case-insensitive names are seen through), the working directory or a folder above it.
/// - `lock` serialises runs that write the same output: check, install and record happen
///   under an exclusive `flock` on `.<name>.lock` beside the target.
/// - `stage` makes the temporary sibling the outputs are written into,
///   `.<name>.tmp-<host>-<pid>-<uuid>`; `install` moves the old folder aside
///   (`.<name>.old-<host>-<pid>-<uuid>`), renames the staged one in and only then deletes
///   the old one.
/// - `removeStale` deletes the temporaries of this host's processes that are no longer
///   running; an old folder left aside by a run killed between its two renames is put
///   back in place when the target is missing, never deleted.
public enum OutputFolder {
    /// Why `--out` may not be written.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Whether `directory` may receive a run's outputs: it is missing, empty or a previous
    /// FlexDispatch output (or `force` is given), and it is none of `inputs` nor holds one.
    ///
    /// - Parameters:
    ///   - directory: the output folder.
    ///   - inputs: the files the run read, the folders they came from, and any other path
    ///     the run writes (the run history database, an MPS file).
    ///   - force: replace a folder that is not a previous output (never an input).
    public static func check(_ directory: String, inputs: [String], force: Bool) throws(Refusal) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        guard target.lastPathComponent != "", target.path != "/" else {
            throw Refusal(description: "\(directory): cannot replace the root folder")
        }
        var attributes = stat(), followed = stat()
        let exists = lstat(target.path, &attributes) == 0
        if exists {
            var ids = [(UInt64(attributes.st_dev), UInt64(attributes.st_ino))]
            if stat(target.path, &followed) == 0 { ids.append((UInt64(followed.st_dev), UInt64(followed.st_ino))) }
            func held(_ path: String) -> Bool { ancestry(path).contains { a in ids.contains { $0 == a } } }
            for input in inputs where held(input) {
                throw Refusal(description: "\(directory): is or holds \(input), which the run reads or writes; choose another --out")
            }
            if held(fm.currentDirectoryPath) {
                throw Refusal(description: "\(directory): is the working directory or a folder above it")
            }
            if (attributes.st_mode & S_IFMT) == S_IFLNK && !force {
                throw Refusal(description: "\(directory): is a symbolic link; give the folder it points to, or --force to replace the link")
            }
        }
        guard exists, !force else { return }
        guard (attributes.st_mode & S_IFMT) == S_IFDIR else {
            throw Refusal(description: "\(directory): exists and is not a folder (--force replaces it)")
        }
        let manifest = target.appendingPathComponent("manifest.json").path
        if (try? RunManifest.read(path: manifest))?.program == "flexdispatch" { return }
        if ((try? fm.contentsOfDirectory(atPath: target.path)) ?? ["?"]).isEmpty { return }
        throw Refusal(description: "\(directory): exists and is not a FlexDispatch output (no manifest.json of a run); "
                      + "choose another --out or give --force to replace it")
    }

    /// An exclusive lock on `.<name>.lock` beside `target`, held until `body` returns.
    public static func locked<T>(_ target: URL, _ body: () throws -> T) throws -> T {
        let path = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).lock").path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Refusal(description: "\(path): cannot create the lock file (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Refusal(description: "\(path): cannot lock (\(String(cString: strerror(errno))))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// A new, empty temporary folder beside `target`.
    public static func stage(_ target: URL) throws -> URL {
        let staging = sibling(target, "tmp")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    /// Puts `staging` in the place of `target`; the previous `target`, if any, is deleted
    /// only once the new one is in place (and renamed back if the second rename fails).
    public static func install(_ staging: URL, at target: URL) throws {
        let fm = FileManager.default
        var aside: URL?
        var attributes = stat()
        if lstat(target.path, &attributes) == 0 {
            let old = sibling(target, "old")
            try fm.moveItem(at: target, to: old)
            aside = old
        }
        do { try fm.moveItem(at: staging, to: target) } catch {
            if let aside { try? fm.moveItem(at: aside, to: target) }
            throw error
        }
        if let aside { try? fm.removeItem(at: aside) }
    }

    /// Deletes `.<name>.tmp-*` and `.<name>.old-*` beside `target` left by this host's
    /// processes that have ended; an old folder whose target is missing is put back.
    public static func removeStale(near target: URL) {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for kind in ["old", "tmp"] {
            let prefix = ".\(target.lastPathComponent).\(kind)-\(host)-"
            for name in names.sorted() where name.hasPrefix(prefix) {
                guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }),
                      kill(pid, 0) != 0 && errno == ESRCH else { continue }
                let url = parent.appendingPathComponent(name)
                var attributes = stat()
                if kind == "old" && lstat(target.path, &attributes) != 0 {
                    try? fm.moveItem(at: url, to: target)
                } else {
                    try? fm.removeItem(at: url)
                }
            }
        }
    }

    /// This machine's name as it may stand in a file name.
    static let host: String = {
        let name = ProcessInfo.processInfo.hostName.filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }
        return name.isEmpty ? "host" : String(name.prefix(40))
    }()

    static func sibling(_ target: URL, _ kind: String) -> URL {
        target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(kind)-\(host)-\(getpid())-\(UUID().uuidString)")
    }

    /// (device, inode) of `path` (following links) and of every folder above it.
    static func ancestry(_ path: String) -> [(UInt64, UInt64)] {
        var out: [(UInt64, UInt64)] = []
        var url = URL(fileURLWithPath: path)
        var attributes = stat()
        if stat(url.path, &attributes) == 0 { out.append((UInt64(attributes.st_dev), UInt64(attributes.st_ino))) }
        // Physical ancestors: resolve the path first so that `link/..` climbs the real tree.
        if let real = realpath(url.path, nil) {
            url = URL(fileURLWithPath: String(cString: real))
            free(real)
        }
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if stat(url.path, &attributes) == 0 { out.append((UInt64(attributes.st_dev), UInt64(attributes.st_ino))) }
        }
        return out
    }
}
