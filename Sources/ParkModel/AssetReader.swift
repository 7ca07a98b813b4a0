import Foundation

/// Reads one asset object: its type decides the fields (spec "Field rules").
enum AssetReader {
    static func read(_ any: Any?, context: JSONContext, isParkAsset: Bool, firmLoad: [Double]?, series: SeriesResolver,
                     horizon: HorizonContext, ids: inout Set<String>, log: IssueLog) -> Asset? {
        let dict = any as? [String: Any]
        let id = (dict?["id"] as? String) ?? "?"
        var ctx = context
        ctx.label = "\(context.label), asset '\(Identifier.printable(id))'"
        guard var o = JSONObject(any, context: ctx, log: log, what: "an asset") else { return nil }
        let assetID = o.string("id")
        Identifier.register(assetID, label: ctx.label, ids: &ids, log: log)
        guard let type = o.string("type") else { return nil }
        var kind: AssetKind?
        switch type {
        case "pv", "wind":
            let capacity = o.nonNegative("capacityKW")
            let profile = series.values(&o, "profile")
            let cost = o.nonNegative("curtailmentCostPerKWh", default: 0)
            _ = o.bool("forecast")  // handled by ForecastPlan before the series are resolved
            if let profile, let bad = profile.firstIndex(where: { $0 < 0 || $0 > 1 }) {
                log.add("\(ctx.label): field 'profile': series '\(o.values["profile"] as? String ?? "")' must be in [0, 1], got \(profile[bad]) at step \(bad)")
            }
            if let capacity, let profile, let cost {
                kind = .generator(type: type == "pv" ? .pv : .wind, capacityKW: capacity, profile: profile, curtailmentCostPerKWh: cost)
            }
        case "battery":
            kind = battery(&o, ctx, log).map { .battery($0) }
        case "shiftable":
            let energy = o.nonNegative("energyKWh"), maxKW = o.nonNegative("maxKW")
            let ws = window(&o, "windowStart", horizon, log), we = window(&o, "windowEnd", horizon, log)
            if let ws, let we, ws >= we {
                log.add("\(ctx.label): field 'windowEnd' must be after 'windowStart' (the window is empty)")
            } else if let energy, let maxKW, let ws, let we {
                kind = .shiftable(energyKWh: energy, maxKW: maxKW, windowStart: ws, windowEnd: we)
            }
        case "curtailable":
            if isParkAsset { log.add("\(ctx.label): field 'type': a park asset cannot be 'curtailable' (it needs a firm load)") }
            let maxKW = o.nonNegative("maxKW"), cost = o.nonNegative("costPerKWh")
            let maxEnergy = o.number("maxEnergyKWh", required: false)
            if let maxEnergy, maxEnergy < 0 { log.add("\(ctx.prefix("maxEnergyKWh")) must be ≥ 0, got \(format(maxEnergy))") }
            if let maxKW, let cost, !isParkAsset { kind = .curtailable(maxKW: maxKW, costPerKWh: cost, maxEnergyKWh: maxEnergy) }
        case "electrolyzer":
            let maxKW = o.nonNegative("maxKW"), kg = o.nonNegative("kgPerKWh"), demand = o.nonNegative("demandKg")
            if let maxKW, let kg, let demand { kind = .electrolyzer(maxKW: maxKW, kgPerKWh: kg, demandKg: demand) }
        default:
            log.add("\(ctx.label): field 'type': unknown asset type '\(type)' (pv, wind, battery, shiftable, curtailable, electrolyzer)")
            return nil
        }
        o.reportUnknownKeys()
        guard let assetID, let kind else { return nil }
        return Asset(id: assetID, kind: kind)
    }

    static func battery(_ o: inout JSONObject, _ ctx: JSONContext, _ log: IssueLog) -> Battery? {
        let energy = o.nonNegative("energyKWh"), charge = o.nonNegative("chargeKW"), discharge = o.nonNegative("dischargeKW")
        func efficiency(_ key: String) -> Double? {
            let v = o.number(key, default: 1)
            if let v, !(v >= ScenarioBounds.efficiencyMinimum && v <= 1) {
                log.add("\(ctx.label): field '\(key)' must be in [\(ScenarioBounds.efficiencyMinimum), 1], got \(format(v))")
            }
            return v
        }
        let etaC = efficiency("chargeEfficiency"), etaD = efficiency("dischargeEfficiency")
        let initial = o.nonNegative("socInitialKWh")
        let socMin = o.nonNegative("socMinKWh", default: 0)
        let final = o.nonNegative("socFinalMinKWh", default: initial ?? 0)
        let degradation = o.nonNegative("degradationCostPerKWh", default: 0)
        if let socMin, let initial, socMin > initial {
            log.add("\(ctx.label): field 'socMinKWh' (\(format(socMin))) must not exceed 'socInitialKWh' (\(format(initial)))")
        }
        if let initial, let energy, initial > energy {
            log.add("\(ctx.label): field 'socInitialKWh' (\(format(initial))) must not exceed 'energyKWh' (\(format(energy)))")
        }
        if let final, let energy, final > energy {
            log.add("\(ctx.label): field 'socFinalMinKWh' (\(format(final))) must not exceed 'energyKWh' (\(format(energy)))")
        }
        guard let energy, let charge, let discharge, let etaC, let etaD, let initial, let socMin, let final, let degradation else {
            return nil
        }
        return Battery(energyKWh: energy, chargeKW: charge, dischargeKW: discharge, chargeEfficiency: etaC,
                       dischargeEfficiency: etaD, socInitialKWh: initial, socMinKWh: socMin, socFinalMinKWh: final,
                       degradationCostPerKWh: degradation)
    }

    /// A window bound as a step index in 0...steps, on the grid.
    static func window(_ o: inout JSONObject, _ key: String, _ h: HorizonContext, _ log: IssueLog) -> Int? {
        guard let text = o.string(key) else { return nil }
        guard let date = ScenarioReader.parseInstant(text) else {
            log.add("\(o.context.prefix(key)): '\(text)' is not an ISO-8601 timestamp with a UTC offset")
            return nil
        }
        guard let start = h.start else { return nil }
        let minutes = date.timeIntervalSince(start) / 60
        let step = minutes / Double(h.stepMinutes)
        guard abs(step - step.rounded()) < 1e-9 else {
            log.add("\(o.context.prefix(key)): '\(text)' is not on the step grid")
            return nil
        }
        guard step >= 0, Int(step.rounded()) <= h.steps else {
            log.add("\(o.context.prefix(key)): '\(text)' lies outside the horizon")
            return nil
        }
        return Int(step.rounded())
    }
}

/// Finds keys that occur twice in one JSON object (JSONSerialization keeps the last one
/// silently). A single pass over the bytes, tracking strings and nesting.
enum DuplicateKeys {
    static func find(in data: Data) -> [String] {
        let bytes = [UInt8](data)
        var stack: [Set<String>?] = []  // nil for arrays
        var duplicates: [String] = []
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "{"): stack.append([])
            case UInt8(ascii: "["): stack.append(nil)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: "\""):
                var j = i + 1
                var raw: [UInt8] = []
                while j < bytes.count && bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { raw.append(bytes[j]); j += 1 }
                    if j < bytes.count { raw.append(bytes[j]) }
                    j += 1
                }
                var k = j + 1
                while k < bytes.count, [9, 10, 13, 32].contains(bytes[k]) { k += 1 }
                if k < bytes.count, bytes[k] == UInt8(ascii: ":"), let top = stack.last, var keys = top {
                    let key = decodedKey(raw)
                    if !keys.insert(key).inserted { duplicates.append(key) }
                    stack[stack.count - 1] = keys
                }
                i = j
            default: break
            }
            i += 1
        }
        return duplicates
    }

    /// The key's text with JSON escapes resolved (so `"a"` and `"\u0061"` are the same key).
    static func decodedKey(_ raw: [UInt8]) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        guard raw.contains(UInt8(ascii: "\\")),
              let s = try? JSONSerialization.jsonObject(with: Data(("\"" + text + "\"").utf8), options: .fragmentsAllowed) as? String
        else { return text }
        return s
    }
}
