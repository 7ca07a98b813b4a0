import DataFiles
import Foundation

/// The measured days of a scenario's history folder at the scenario's step: each column of
/// every history CSV, its samples averaged into the steps of a day (any resolution; an
/// empty field is a missing value).
struct HistoryDays {
    /// Column → its samples, oldest first.
    var samples: [String: [(time: Date, value: Double)]] = [:]

    /// Reads every `*.csv` of `folder` (hidden files aside). A file that cannot be read or
    /// parsed is an error naming it and the line.
    init(folder: String) throws(DailyBatch.Failure) {
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw .input(["\(folder): cannot list the history folder (\(FileErrors.reason(error)))"])
        }
        for file in files.filter({ $0.hasSuffix(".csv") && !$0.hasPrefix(".") }).sorted() {
            let path = (folder as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else { throw .input(["\(path): cannot read the file"]) }
            let lines: [Substring]
            do { lines = try CSVText.lines(data) } catch { throw .input(["\(path): \(error)"]) }
            guard let head = lines.first else { continue }
            let header = CSVText.fields(head)
            var columns = [[(time: Date, value: Double)]](repeating: [], count: header.count)
            for (n, line) in lines.dropFirst().enumerated() where !line.isEmpty {
                let fields = CSVText.fields(line)
                guard let time = fields.first.flatMap({ TimeParser.instant($0) }) else {
                    throw .input(["\(path): line \(n + 2): the time '\(fields.first ?? "")' is not ISO 8601 with a UTC offset"])
                }
                for k in 1..<min(fields.count, header.count) {
                    let text = fields[k].trimmingCharacters(in: .whitespaces)
                    guard !text.isEmpty else { continue }
                    guard let v = CSVText.number(text) else {
                        throw .input(["\(path): line \(n + 2): column '\(header[k])' is not a number: '\(text)'"])
                    }
                    columns[k].append((time, v))
                }
            }
            for k in 1..<header.count where samples[header[k]] == nil { samples[header[k]] = columns[k] }
        }
    }

    /// The values of `column` in the `steps` steps of `stepMinutes` from `start`; nil when a
    /// step has no sample.
    func day(_ column: String, start: Date, stepMinutes: Int, steps: Int) -> [Double]? {
        guard let all = samples[column] else { return nil }
        let end = start.addingTimeInterval(Double(steps * stepMinutes * 60))
        let lo = lowerBound(all, start), hi = lowerBound(all, end)
        let axis = TimeAxis(start: start, stepSeconds: Double(stepMinutes * 60), count: steps)
        let means = axis.means(of: all[lo..<hi].lazy.map { (time: $0.time, value: $0.value) })
        guard means.allSatisfy({ $0 != nil }) else { return nil }
        return means.map { $0! }
    }

    private func lowerBound(_ a: [(time: Date, value: Double)], _ t: Date) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid].time < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
