import Foundation

/// A run's output folder, replaced as a whole or not at all.
///
/// - `check` refuses a target that is not a previous FlexDispatch output (recognised by its
///   `manifest.json`) unless forced, and always one that is, or holds, an input of the run.
/// - `stage` makes the temporary sibling the outputs are written into,
///   `.<name>.tmp-<pid>-<uuid>`; `install` moves the old folder aside
///   (`.<name>.old-<pid>-<uuid>`), renames the staged one in and only then deletes the old
///   one, so that a kill at any moment leaves either the old or the new output complete.
/// - `removeStale` deletes the temporaries of processes that are no longer running.
public enum OutputFolder {
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// - Parameters:
    ///   - inputs: the files the run read and the folders they came from.
    public static func check(_ directory: String, inputs: [String], force: Bool) throws(Refusal) {
        let target = canonical(directory)
        for input in inputs {
            let path = canonical(input)
            if path == target || path.hasPrefix(target == "/" ? "/" : target + "/") {
                throw Refusal(description: "\(directory): the output folder would replace \(input), an input of the run")
            }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else { return }
        if force { return }
        guard isFolder.boolValue else {
            throw Refusal(description: "\(directory): exists and is a file, not a FlexDispatch output folder (--force replaces it)")
        }
        let manifest = (directory as NSString).appendingPathComponent("manifest.json")
        guard (try? RunManifest.read(path: manifest))?.program == "flexdispatch" else {
            let empty = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? ["?"]).isEmpty
            if empty { return }
            throw Refusal(description: "\(directory): exists and is not a FlexDispatch output (no manifest.json of a run); "
                          + "choose another --out or give --force to replace it")
        }
    }

    /// A new, empty temporary folder beside `target`.
    public static func stage(_ target: URL) throws -> URL {
        let staging = sibling(target, "tmp")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    /// Puts `staging` in the place of `target`; the previous `target`, if any, is deleted
    /// only once the new one is in place (and restored if the rename fails).
    public static func install(_ staging: URL, at target: URL) throws {
        let fm = FileManager.default
        var aside: URL?
        if (try? target.checkResourceIsReachable()) == true || fm.fileExists(atPath: target.path) {
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

    /// Deletes `.<name>.tmp-*` and `.<name>.old-*` beside `target` whose process has ended.
    public static func removeStale(near target: URL) {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names {
            for kind in ["tmp", "old"] {
                let prefix = ".\(target.lastPathComponent).\(kind)-"
                guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }) else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH { try? fm.removeItem(at: parent.appendingPathComponent(name)) }
            }
        }
    }

    static func sibling(_ target: URL, _ kind: String) -> URL {
        target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(kind)-\(getpid())-\(UUID().uuidString)")
    }

    /// Absolute, with `.` and `..` resolved and symbolic links followed where they exist.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
