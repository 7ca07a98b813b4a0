/// The rules every number of a scenario follows, whether it was read from files or built
/// in code: finite, within ``ScenarioBounds/magnitude``, and a series has one value per step.
enum FieldRules {
    /// A finite number within the documented bounds.
    static func number(_ v: Double, _ field: String) -> FieldProblem? {
        guard v.isFinite else { return FieldProblem(field, "must be a finite number, got \(v)") }
        guard abs(v) <= ScenarioBounds.magnitude else {
            return FieldProblem(field, "must lie within ±\(format(ScenarioBounds.magnitude)), got \(v)")
        }
        return nil
    }

    /// A finite number ≥ 0.
    static func nonNegative(_ v: Double, _ field: String) -> FieldProblem? {
        if let p = number(v, field) { return p }
        return v < 0 ? FieldProblem(field, "must be ≥ 0, got \(format(v))") : nil
    }

    /// A finite number in `range`.
    static func within(_ v: Double, _ range: ClosedRange<Double>, _ field: String) -> FieldProblem? {
        if let p = number(v, field) { return p }
        return range.contains(v) ? nil : FieldProblem(field, "must be in [\(format(range.lowerBound)), \(format(range.upperBound))], got \(format(v))")
    }

    /// A series of one finite value per step; `rule` names the first value it rejects
    /// (its step and value) with a message.
    static func series(_ v: [Double], _ field: String, steps: Int,
                       rule: ((Double) -> Bool, (Int, Double) -> String)? = nil) -> [FieldProblem] {
        if v.count != steps { return [FieldProblem(field, "has \(v.count) values, the horizon has \(steps) steps")] }
        if let k = v.firstIndex(where: { !$0.isFinite || abs($0) > ScenarioBounds.magnitude }) {
            return [FieldProblem(field, "at step \(k) is \(v[k]), not a finite number within ±\(format(ScenarioBounds.magnitude))")]
        }
        if let (accepts, message) = rule, let k = v.firstIndex(where: { !accepts($0) }) {
            return [FieldProblem(field, message(k, v[k]))]
        }
        return []
    }
}
