import DataFiles
import Foundation

/// Firm and asset ids (docs/park-model.md "Identifiers"): the rule of `DataFiles.Identifiers`
/// (1 to 64 letters, digits, '_', '-' or '.', starting with a letter or a digit).
public enum Identifier {
    /// Longest id, in characters.
    public static let maxLength = Identifiers.maxLength

    /// True when `id` follows the rule.
    public static func isValid(_ id: String) -> Bool { Identifiers.isValid(id) }

    /// The id as it can be printed in a message: control characters and quotes escaped, cut
    /// at 80 characters.
    public static func printable(_ id: String) -> String { Identifiers.printable(id) }

    /// Checks an id read from `field` of the object `label` names, and that it is unique.
    static func register(_ id: String?, label: String, ids: inout Set<String>, log: IssueLog) {
        guard let id else { return }
        guard isValid(id) else {
            log.add("\(label): field 'id': \"\(printable(id))\" is not a valid id (1 to \(maxLength) letters, digits, '_', '-' "
                    + "or '.', starting with a letter or a digit)")
            return
        }
        if !ids.insert(id).inserted { log.add("\(label): field 'id': duplicate id '\(id)'") }
    }
}
