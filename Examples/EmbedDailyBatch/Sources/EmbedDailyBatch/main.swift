// The daily batch embedded in another program: FlexDispatch reads the bundled tiny park,
// forecasts, solves and writes its outputs; the run goes to this program's own result
// sink, a settlements table, instead of FlexDispatch's run history.
import FlexDispatch
import Foundation
import RunHistory

/// A result sink of one's own: every recorded run appends one row per firm to a CSV table
/// (run, firm, settlement, standalone cost, gain). Any `RunStore` can stand here: a table
/// in the plant's MES database, a message to its bus.
final class SettlementsTable: RunStore {
    let path: String
    private(set) var runs: [RunRecord] = []

    init(path: String) { self.path = path }

    func record(_ run: RunRecord) throws -> Int64 {
        runs.append(run)
        var rows = FileManager.default.fileExists(atPath: path) ? try String(contentsOfFile: path, encoding: .utf8)
            : "run,scenario,firm,settlement,standalone_cost,gain\n"
        for firm in run.firms {
            let gain = firm.standaloneCost.flatMap { alone in firm.settlement.map { alone - $0 } }
            rows += "\(runs.count),\(run.scenario),\(firm.id),\(firm.settlement.map { "\($0)" } ?? ""),"
                + "\(firm.standaloneCost.map { "\($0)" } ?? ""),\(gain.map { "\($0)" } ?? "")\n"
        }
        try rows.write(toFile: path, atomically: true, encoding: .utf8)
        return Int64(runs.count)
    }

    func list(limit: Int) throws -> [RunSummary] { [] }
    func show(_ id: Int64) throws -> RunDetail? { nil }
}

let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let scenario = here.appendingPathComponent("../../../../datasets/tiny").standardizedFileURL.path
let work = FileManager.default.temporaryDirectory.appendingPathComponent("embed-daily-batch-\(ProcessInfo.processInfo.processIdentifier)")
defer { try? FileManager.default.removeItem(at: work) }

let table = SettlementsTable(path: work.appendingPathComponent("settlements.csv").path)
var options = DailyBatch.Options()
options.outputDirectory = work.appendingPathComponent("tiny").path
options.openStore = { _ in table }
options.alsoWritten = [table.path]

do {
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let outcome = try DailyBatch.run(scenarioDirectory: scenario, options: options) { event in
        if case .stage(let text) = event { print("· \(text)") }
    }
    print("status \(outcome.run.status.rawValue), cost \(outcome.run.objective ?? .nan), outputs in \(outcome.outputDirectory)")
    print(try String(contentsOfFile: table.path, encoding: .utf8), terminator: "")
    // The sink saw the run the batch solved: one row per firm, the same settlements.
    guard let recorded = table.runs.first, recorded.firms.count == outcome.scenario.firms.count,
          recorded.firms.allSatisfy({ $0.settlement == outcome.run.settlement[$0.id] }) else {
        print("the settlements table does not hold the run's settlements")
        exit(1)
    }
} catch let failure as DailyBatch.Failure {
    print(failure.description)
    exit(failure.exitStatus)
} catch {
    print("\(error)")
    exit(1)
}
