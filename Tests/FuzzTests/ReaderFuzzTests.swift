import DataFiles
import Forecasting
import FlexDispatch
import Foundation
import LinearProgramming
import ParkModel
import PropertyBased
import Testing

/// Mutation fuzzing of the three readers of user files. Whatever the bytes, a reader
/// returns a valid value or throws its own error type with one-line messages; it never
/// traps. `swift test` runs `Mutations.cases` cases of each; `scripts/fuzz.sh` a campaign.
@Suite("Fuzzing the readers")
struct ReaderFuzzTests {
    static func oneLine(_ s: String) -> Bool { !s.isEmpty && !s.contains("\n") && !s.contains("\r") && !s.contains("\u{0}") }

    static let scenarioJSON = """
    {"name": "fuzz", "currency": "EUR", "start": "2025-06-01T10:00:00+08:00", "stepMinutes": 60, "steps": 4,
     "timeseries": "timeseries.csv", "forecast": {"model": "auto"},
     "park": {"importMaxKW": 1000, "exportMaxKW": 1000, "importPrice": "price_import", "exportPrice": "price_export",
              "peakChargePerKW": 0.5, "carbonIntensity": "co2", "carbonPricePerKg": 0.1, "assets": []},
     "firms": [
      {"id": "f1", "name": "Workshop", "connectionKW": 500, "load": "f1_load", "assets": [
        {"type": "battery", "id": "f1_bat", "energyKWh": 100, "chargeKW": 100, "dischargeKW": 100, "socInitialKWh": 0,
         "chargeEfficiency": 0.95, "dischargeEfficiency": 0.95},
        {"type": "shiftable", "id": "f1_kiln", "energyKWh": 50, "maxKW": 40, "windowStart": "2025-06-01T10:00:00+08:00",
         "windowEnd": "2025-06-01T14:00:00+08:00"}]},
      {"id": "f2", "name": "Warehouse", "connectionKW": 300, "load": "f2_load", "forecast": true, "assets": [
        {"type": "pv", "id": "f2_pv", "capacityKW": 200, "profile": "pv_pu"},
        {"type": "curtailable", "id": "f2_shed", "maxKW": 20, "costPerKWh": 2},
        {"type": "electrolyzer", "id": "f2_h2", "maxKW": 50, "kgPerKWh": 0.02, "demandKg": 1}]}]}
    """
    static let timeseries = """
    time,price_import,price_export,f1_load,f2_load,pv_pu,co2
    2025-06-01T10:00:00+08:00,0.2,0.1,100,50,0,0.5
    2025-06-01T11:00:00+08:00,0.5,0.1,100,50,0.5,0.5
    2025-06-01T12:00:00+08:00,0.5,0.1,120,60,0.9,0.4
    2025-06-01T13:00:00+08:00,0.3,0.1,90,40,0.6,0.4

    """
    static var history: String {
        var text = "time,f2_load\n"
        for h in 0..<(24 * 4) {
            let day = TimeParser.civil(fromDays: TimeParser.daysFromCivil(2025, 5, 28) + (h + 10) / 24)
            text += String(format: "%@T%02d:00:00+08:00,%.1f\n", day, (h + 10) % 24, 50 + 10 * sin(Double(h) / 4))
        }
        return text
    }

    @Test func scenarioReader() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("history"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let seeds = [("scenario.json", Array(Self.scenarioJSON.utf8)), ("timeseries.csv", Array(Self.timeseries.utf8)),
                     ("history/load.csv", Array(Self.history.utf8))]
        await propertyCheck(count: Mutations.cases, input: Gen.int(in: 0...2), zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...5), Gen.int(in: 0...Mutations.lastToken)).array(of: 1...6)) { file, edits in
            for (k, seed) in seeds.enumerated() {
                try Data(k == file ? Mutations.apply(edits, to: seed.1) : seed.1).write(to: dir.appendingPathComponent(seed.0))
            }
            do {
                let s = try ScenarioReader.read(directory: dir.path, forecaster: HistoryForecaster())
                #expect(s.firms.allSatisfy { Identifier.isValid($0.id) && $0.load.allSatisfy(\.isFinite) })
                #expect(s.park.importPrice.allSatisfy { abs($0) <= ScenarioBounds.magnitude })
            } catch let e as ScenarioError {
                #expect(!e.messages.isEmpty && e.messages.allSatisfy(Self.oneLine), "\(e.messages)")
            }
        }
    }

    static let mps = """
    NAME          FUZZ
    OBJSENSE
        MIN
    ROWS
     N  COST
     G  DEMAND
     L  CAP
     E  LINK
    COLUMNS
        X         COST      1.0        DEMAND    1.0
        X         CAP       1.0
        MARKER                 'MARKER'                 'INTORG'
        Y         COST      2.0        DEMAND    1.0
        Y         LINK      1.0
        MARKER                 'MARKER'                 'INTEND'
        Z         COST      -1.0       LINK      -1.0
    RHS
        RHS       DEMAND    2.0        CAP       1.5
        RHS       COST      -3.0
    RANGES
        RNG       CAP       4.0
    BOUNDS
     UP BND       X         3.0
     LO BND       Z         -1.0
     UP BND       Z         5.0
    ENDATA

    """

    @Test func mpsReaderAndSolver() async {
        await propertyCheck(count: Mutations.cases, input: zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...5), Gen.int(in: 0...Mutations.lastToken)).array(of: 1...6)) { edits in
            let text = String(decoding: Mutations.apply(edits, to: Array(Self.mps.utf8)), as: UTF8.self)
            do {
                let lp = try MPSReader.parse(text, file: "fuzz.mps")
                var settings = SolverSettings()
                settings.maxIterations = 60
                let r = try LPSolver.solve(lp, settings: settings)
                if r.status == .optimal {
                    for j in 0..<lp.columnCount { #expect(r.x[j] >= lp.columnLower[j] && r.x[j] <= lp.columnUpper[j]) }
                    #expect(r.objective.isFinite)
                }
            } catch let e as MPSError {
                #expect(Self.oneLine(e.description), "\(e.description)")
            } catch let e as LPModelError {
                #expect(Self.oneLine(e.description))
            }
        }
    }

    @Test func historyReader() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-fuzz-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: path) }
        var text = "time,y,temp\n"
        for h in 0..<72 {
            let minute = h % 3 == 0 ? 30 : 0
            text += String(format: "2025-03-%02dT%02d:%02d:00Z,%.2f,%.1f\n", 1 + h / 24, h % 24, minute, 100 + Double(h % 24), 10 + Double(h % 7))
        }
        let seed = Array(text.utf8)
        await propertyCheck(count: Mutations.cases, input: zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...5), Gen.int(in: 0...Mutations.lastToken)).array(of: 1...6)) { edits in
            try Data(Mutations.apply(edits, to: seed)).write(to: path)
            do {
                let s = try HistoryReader.read(path: path.path, column: "y", drivers: ["temp"])
                #expect(s.count > 0 && s.values.allSatisfy { $0.map { $0.isFinite && abs($0) <= HistoryReader.maxMagnitude } ?? true })
            } catch let e as HistoryError {
                #expect(Self.oneLine(e.message), "\(e.message)")
            }
        }
    }
}
