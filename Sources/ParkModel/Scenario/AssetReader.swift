import DataFiles
import Foundation

/// Reads one asset object: its `type` picks the asset type that reads the fields
/// (``AssetTypes``), and the type's own rules (``AssetKind/problems(steps:owner:)``) are
/// logged with the object's place in scenario.json.
enum AssetReader {
    static func read(_ any: Any?, context: JSONContext, owner: AssetOwner, reading: AssetReadingContext,
                     ids: inout Set<String>, log: IssueLog) -> Asset? {
        let dict = any as? [String: Any]
        let id = (dict?["id"] as? String) ?? "?"
        var ctx = context
        ctx.label = "\(context.label), asset '\(Identifier.printable(id))'"
        guard var o = JSONObject(any, context: ctx, log: log, what: "an asset") else { return nil }
        let assetID = o.string("id")
        Identifier.register(assetID, label: ctx.label, ids: &ids, log: log)
        guard let type = o.string("type") else { return nil }
        guard let reader = AssetTypes.reader(for: type) else {
            log.add("\(ctx.label): field 'type': unknown asset type '\(type)' (\(AssetTypes.names.joined(separator: ", ")))")
            return nil
        }
        let kind = reader.read(&o, type: type, context: reading)
        o.reportUnknownKeys()
        o.log(kind.problems(steps: reading.horizon.steps, owner: owner))
        guard let assetID, o.failed.isEmpty else { return nil }
        return Asset(id: assetID, kind: kind)
    }
}

extension HorizonContext {
    /// A timestamp field as a step index in 0...steps, on the grid.
    func step(_ o: inout JSONObject, _ key: String) -> Int? {
        guard let text = o.string(key) else { return nil }
        guard let date = ScenarioReader.parseInstant(text) else {
            o.fail(key, "\(o.context.prefix(key)): '\(text)' is not an ISO-8601 timestamp with a UTC offset")
            return nil
        }
        guard let start else { o.fail(key, nil); return nil }
        let minutes = date.timeIntervalSince(start) / 60
        let step = minutes / Double(stepMinutes)
        guard abs(step - step.rounded()) < 1e-9 else {
            o.fail(key, "\(o.context.prefix(key)): '\(text)' is not on the step grid")
            return nil
        }
        guard step >= 0, Int(step.rounded()) <= steps else {
            o.fail(key, "\(o.context.prefix(key)): '\(text)' lies outside the horizon")
            return nil
        }
        return Int(step.rounded())
    }
}
