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
        for p in problems(id, ids: &ids) { log.add("\(label): \(p)") }
    }

    /// The rule and uniqueness of an id among `ids` (which it joins when valid).
    static func problems(_ id: String, ids: inout Set<String>) -> [FieldProblem] {
        guard isValid(id) else {
            return [FieldProblem("id", "is not a valid id: \"\(printable(id))\" (ids are 1 to \(maxLength) letters, digits, '_', '-' "
                                 + "or '.', starting with a letter or a digit)")]
        }
        return ids.insert(id).inserted ? [] : [FieldProblem("id", "'\(id)' is already the id of another firm or asset")]
    }
}
