import Foundation

/// A file-system error said in plain words ("Permission denied", "Is a directory") for
/// messages that name the file themselves; Foundation's own text on Linux is often only
/// "The operation could not be completed".
public enum FileErrors {
    /// The system's words for a file error (`strerror` of its POSIX code when it has one).
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileReadNoPermission, .fileWriteNoPermission: return "Permission denied"
            case .fileReadNoSuchFile, .fileNoSuchFile: return "No such file or directory"
            case .fileReadInapplicableStringEncoding: return "not valid UTF-8 text"
            default: break
            }
        }
        return ns.localizedDescription
    }
}
