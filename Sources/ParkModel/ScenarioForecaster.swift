import DataFiles
import Foundation
import Forecasting

/// Forecasts the series a `ForecastPlan` names from the CSV files of the scenario's
/// history folder, one series per model run, in parallel; maps the hourly forecasts onto
/// the scenario's steps (each step the overlap-weighted mean of the hours it covers).
enum ScenarioForecaster {
    /// Most hours of gap allowed between the end of a history and the scenario start.
    static let maxGapHours = 7 * 24
    /// Fewest hours with a value a history must have.
    static let minHistoryHours = 48

    static func run(_ plan: ForecastPlan, settings: ForecastSettings, directory: String, grid: StepGrid,
                    table: TimeSeriesTable, log: IssueLog, read: inout [String]) -> [SeriesForecast] {
        let needed = plan.needed
        let folder = (directory as NSString).appendingPathComponent(settings.history)
        guard plan.hasHistory else {
            for n in needed {
                log.add("\(settings.history)/: series '\(n.name)' is to be forecast but the scenario has no history folder '\(settings.history)'")
            }
            return []
        }
        let listed: [String]
        do { listed = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            log.add("\(settings.history)/: cannot list the history folder (\(FileErrors.reason(error)))")
            return []
        }
        var columnFile: [String: String] = [:]
        for file in listed.filter({ $0.hasSuffix(".csv") }).sorted() {
            let path = (folder as NSString).appendingPathComponent(file)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                log.add("\(settings.history)/\(file): is a folder, not a CSV file")
                continue
            }
            let header: String
            read.append(path)
            do { header = try firstLine(path) } catch {
                log.add("\(settings.history)/\(file): cannot read the file (\(FileErrors.reason(error)))")
                continue
            }
            for column in header.split(separator: ",").dropFirst().map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if let other = columnFile[column] {
                    log.add("\(settings.history)/\(file): column '\(column)' is also in \(settings.history)/\(other)")
                } else { columnFile[column] = file }
            }
        }
        var jobs: [(name: String, role: String, file: String)] = []
        for n in needed {
            guard let file = columnFile[n.name] else {
                log.add("\(settings.history)/: series '\(n.name)' (\(n.role)) is to be forecast but no history file has a column '\(n.name)'")
                continue
            }
            jobs.append((n.name, n.role, file))
        }
        let results = UnsafeMutableBufferPointer<Result<SeriesForecast, HistoryError>?>.allocate(capacity: jobs.count)
        defer { results.deallocate() }
        results.initialize(repeating: nil)
        let box = SendableBuffer(results)
        let work = jobs
        DispatchQueue.concurrentPerform(iterations: work.count) { k in
            let job = work[k]
            let r = Result { () throws(HistoryError) -> SeriesForecast in
                try forecastOne(job.name, role: job.role, file: "\(settings.history)/\(job.file)",
                                path: (folder as NSString).appendingPathComponent(job.file),
                                model: settings.models[job.name] ?? settings.model, drivers: settings.drivers[job.name] ?? [],
                                grid: grid, table: table)
            }
            box.buffer[k] = r
        }
        var out: [SeriesForecast] = []
        for r in results {
            switch r {
            case .success(let f)?: out.append(f)
            case .failure(let e)?: log.add(e.description)
            case nil: break
            }
        }
        return out
    }

    /// The header line (the first 64 KiB at most), through the throwing file API.
    static func firstLine(_ path: String) throws -> String {
        let h = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? h.close() }
        let data = try h.read(upToCount: 1 << 16) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    static func forecastOne(_ name: String, role: String, file: String, path: String, model: String, drivers: [String],
                            grid: StepGrid, table: TimeSeriesTable) throws(HistoryError) -> SeriesForecast {
        var s: HourlySeries
        do { s = try HistoryReader.read(path: path, column: name, drivers: drivers) } catch {
            let e = error as? HistoryError
            throw HistoryError(file: file, line: e?.line ?? 0, message: e?.message ?? "\(error)")
        }
        let startHour = Int((Double(grid.startSeconds - s.start) / 3600).rounded(.down))
        guard startHour > 0 else {
            throw HistoryError(file: file, line: 0, message: "series '\(name)': the history starts after the scenario start")
        }
        if startHour < s.count { s.truncate(to: startHour) }  // only data before the start is used
        let gap = startHour - s.count
        guard gap <= maxGapHours else {
            throw HistoryError(file: file, line: 0, message: "series '\(name)': the history ends \(gap) hours before the scenario start (at most \(maxGapHours))")
        }
        let known = s.values.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        guard known >= minHistoryHours else {
            throw HistoryError(file: file, line: 0, message: "series '\(name)': \(known) hours of history before the start, at least \(minHistoryHours) needed")
        }
        let endSeconds = grid.startSeconds + grid.steps * grid.stepSeconds
        let lastHour = Int((Double(endSeconds - 1 - s.start) / 3600).rounded(.down))
        let horizon = lastHour - s.count + 1
        var future: [String: [Double?]] = [:]
        for d in drivers {
            guard let column = table.columns[d] else {
                throw HistoryError(file: "timeseries", line: 0, message: "driver '\(d)' of series '\(name)' is not a column of the time-series file (its values over the horizon)")
            }
            future[d] = hourlyMeans(column, grid: grid, firstHourSeconds: s.start + s.count * 3600, hours: horizon)
        }
        guard let m = ForecastModels.make(model, drivers: drivers) else {
            throw HistoryError(file: "scenario.json", line: 0, message: "unknown model '\(model)'")
        }
        let result: Forecaster.Result
        do { result = try Forecaster.run(m, s, horizon: horizon, futureDrivers: future) } catch {
            throw HistoryError(file: file, line: 0, message: "series '\(name)': \(error.description)")
        }
        let clamp: (Double) -> Double = role == "profile" ? { min(1, max(0, $0)) } : { max(0, $0) }
        let origin = s.start + s.count * 3600
        func steps(_ hourly: [Double]) -> [Double] {
            (0..<grid.steps).map { k in
                let a = grid.startSeconds + k * grid.stepSeconds, b = a + grid.stepSeconds
                var sum = 0.0
                var h = (a - origin) / 3600
                while origin + h * 3600 < b {
                    let lo = max(a, origin + h * 3600), hi = min(b, origin + (h + 1) * 3600)
                    sum += hourly[h] * Double(hi - lo)
                    h += 1
                }
                return clamp(sum / Double(grid.stepSeconds))
            }
        }
        let p50 = steps(result.rows.map(\.p50))
        guard p50.allSatisfy(\.isFinite) else {
            throw HistoryError(file: file, line: 0, message: "series '\(name)': the \(result.model) forecast is not finite")
        }
        return SeriesForecast(series: name, role: role, model: result.model, historyFile: file, historyHours: known,
                              p10: steps(result.rows.map(\.p10)), p50: p50, p90: steps(result.rows.map(\.p90)),
                              actual: table.columns[name], notes: result.notes)
    }

    /// Hour means of a step series over `hours` hours from `firstHourSeconds` (nil for an
    /// hour no step starts in).
    static func hourlyMeans(_ v: [Double], grid: StepGrid, firstHourSeconds: Int, hours: Int) -> [Double?] {
        var sums = [(Double, Int)](repeating: (0, 0), count: max(hours, 0))
        for (k, x) in v.enumerated() {
            let h = Int((Double(grid.startSeconds + k * grid.stepSeconds - firstHourSeconds) / 3600).rounded(.down))
            if h >= 0 && h < hours { sums[h].0 += x; sums[h].1 += 1 }
        }
        return sums.map { $0.1 > 0 ? $0.0 / Double($0.1) : nil }
    }
}
