import DataFiles
import Forecasting
import Foundation
import ParkModel

/// The forecasting stage of the batch: forecasts the series a scenario leaves to its
/// history from the CSV files of its history folder with the models of a
/// `ForecastCatalog`, one series per model run, in parallel, and maps the hourly forecasts
/// onto the scenario's steps (each step the overlap-weighted mean of the hours it covers).
///
/// ```swift
/// var catalog = ForecastCatalog()
/// catalog.add("mine") { _ in MyModel() }
/// let scenario = try ScenarioReader.read(directory: "datasets/ordos-park", forecaster: HistoryForecaster(models: catalog))
/// ```
public struct HistoryForecaster: SeriesForecaster {
    /// The models a scenario may name.
    public var models: ForecastCatalog

    public init(models: ForecastCatalog = ForecastCatalog()) { self.models = models }

    /// Most hours of gap allowed between the end of a history and the scenario start.
    static let maxGapHours = 7 * 24
    /// Fewest hours with a value a history must have.
    static let minHistoryHours = 48

    public func forecast(_ request: ForecastRequest) -> ForecastResponse {
        var response = ForecastResponse()
        let log = MessageLog()
        response.forecasts = run(request, log: log, read: &response.files)
        response.messages = log.messages
        return response
    }

    func run(_ request: ForecastRequest, log: MessageLog, read: inout [InputContent]) -> [SeriesForecast] {
        for (series, name) in [("", request.model)] + request.models.sorted(by: { $0.key < $1.key }).map({ ($0.key, $0.value) })
        where models.make(name) == nil {
            let field = series.isEmpty ? "model" : "models"
            log.add("scenario.json forecast.\(field): field '\(field)': unknown model '\(name)'\(series.isEmpty ? "" : " for '\(series)'") "
                    + "(\(models.names.joined(separator: ", ")))")
        }
        let needed = request.series
        guard !needed.isEmpty else { return [] }
        let directory = request.directory
        let grid = StepGrid(start: request.start, stepMinutes: request.stepMinutes, steps: request.steps)
        let folder = (directory as NSString).appendingPathComponent(request.historyFolder)
        guard request.hasHistory else {
            for n in needed {
                log.add("\(request.historyFolder)/: series '\(n.name)' is to be forecast but the scenario has no history folder '\(request.historyFolder)'")
            }
            return []
        }
        let listed: [String]
        do { listed = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            log.add("\(request.historyFolder)/: cannot list the history folder (\(FileErrors.reason(error)))")
            return []
        }
        // Each file is read once: its header maps columns to it, its bytes are parsed for
        // every series it holds and recorded as an input. Hidden files are not history.
        var columnFile: [String: String] = [:]
        var contents: [String: Data] = [:]
        for file in listed.filter({ $0.hasSuffix(".csv") && !$0.hasPrefix(".") }).sorted() {
            let path = (folder as NSString).appendingPathComponent(file)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                log.add("\(request.historyFolder)/\(file): is a folder, not a CSV file")
                continue
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                log.add("\(request.historyFolder)/\(file): cannot read the file (\(FileErrors.reason(error)))")
                continue
            }
            read.append(InputContent(path: path, data: data))
            contents[file] = data
            let end = data.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? data.endIndex
            let header = (try? CSVText.lines(data[..<end]).first).flatMap { $0 }.map(CSVText.fields) ?? []
            for column in header.dropFirst() {
                if let other = columnFile[column] {
                    log.add("\(request.historyFolder)/\(file): column '\(column)' is also in \(request.historyFolder)/\(other)")
                } else { columnFile[column] = file }
            }
        }
        var jobs: [(name: String, role: String, file: String)] = []
        for n in needed {
            guard let file = columnFile[n.name] else {
                log.add("\(request.historyFolder)/: series '\(n.name)' (\(n.role)) is to be forecast but no history file has a column '\(n.name)'")
                continue
            }
            jobs.append((n.name, n.role, file))
        }
        let results = UnsafeMutableBufferPointer<Result<SeriesForecast, HistoryError>?>.allocate(capacity: jobs.count)
        defer { results.deallocate() }
        results.initialize(repeating: nil)
        let box = ResultSlots(results)
        let work = jobs
        // Each file with a series to forecast is parsed once, for the columns its series and
        // their drivers read.
        var wanted: [String: Set<String>] = [:]
        for job in jobs { wanted[job.file, default: []].formUnion([job.name] + (request.drivers[job.name] ?? [])) }
        var parsed: [String: HistoryTable] = [:]
        for (file, columns) in wanted {
            parsed[file] = HistoryTable(data: contents[file] ?? Data(), file: "\(request.historyFolder)/\(file)", columns: columns)
        }
        let catalog = models, columns = request.columns, tables = parsed
        DispatchQueue.concurrentPerform(iterations: work.count) { k in
            let job = work[k]
            let r = Result { () throws(HistoryError) -> SeriesForecast in
                try Self.forecastOne(job.name, role: job.role, file: "\(request.historyFolder)/\(job.file)",
                                table: tables[job.file] ?? HistoryTable(data: Data(), file: "\(request.historyFolder)/\(job.file)"),
                                model: request.models[job.name] ?? request.model, catalog: catalog, drivers: request.drivers[job.name] ?? [],
                                site: request.sites[job.name], grid: grid, columns: columns)
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

    static func forecastOne(_ name: String, role: String, file: String, table: HistoryTable, model: String, catalog: ForecastCatalog, drivers: [String],
                            site: SolarSite? = nil, grid: StepGrid, columns: [String: [Double]]) throws(HistoryError) -> SeriesForecast {
        var s = try table.series(name, drivers: drivers)
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
            guard let column = columns[d] else {
                throw HistoryError(file: "timeseries", line: 0, message: "driver '\(d)' of series '\(name)' is not a column of the time-series file (its values over the horizon)")
            }
            future[d] = hourlyMeans(column, grid: grid, firstHourSeconds: s.start + s.count * 3600, hours: horizon)
        }
        guard let m = catalog.make(model, drivers: drivers, site: site) else {
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
                              actual: columns[name], notes: result.notes)
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

/// The scenario's step grid as instants.
struct StepGrid {
    var start: Date
    var stepMinutes: Int
    var steps: Int
    var startSeconds: Int { Int(start.timeIntervalSince1970.rounded()) }
    var stepSeconds: Int { stepMinutes * 60 }
}

/// Collects the stage's error messages.
final class MessageLog {
    var messages: [String] = []
    func add(_ m: String) { messages.append(m) }
}

/// Lets concurrentPerform's workers write disjoint slots of one buffer.
struct ResultSlots<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ b: UnsafeMutableBufferPointer<T>) { buffer = b }
}
