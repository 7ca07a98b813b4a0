// A program built on the adapters alone: a meter file a legacy system drops, decoded as
// the drop-folder feed decodes it and stored in the measurement store. It links none of
// the numeric core (no OpenBLAS, LAPACK or CHOLMOD): `scripts/test.sh` checks its binary
// with `ldd`.
import Adapters
import Foundation
import Measurements

let file = """
    time,series,value,unit
    2025-06-01T00:00:00+08:00,f01_load,812.5,kW
    2025-06-01T00:15:00+08:00,f01_load,804.0,kW
    2025-06-01T00:00:00+08:00,f02_load,1.2,MW
    2025-06-01T00:15:00+08:00,f02_load,1.25,MW
    """

let work = FileManager.default.temporaryDirectory.appendingPathComponent("adapter-only-\(ProcessInfo.processInfo.processIdentifier)")
defer { try? FileManager.default.removeItem(at: work) }

do {
    let samples = try DropFolderCodec.decode(Data(file.utf8), name: "meters.csv", columns: [:])
    let measurements = samples.compactMap { s -> StoredMeasurement? in
        guard let time = s.time, let value = s.value else { return nil }
        return StoredMeasurement(series: s.series, time: time, value: value, unit: s.unit ?? "kW", source: "meters.csv")
    }
    let store = try SQLiteMeasurementStore(path: work.appendingPathComponent("park.sqlite").path)
    let stored = try store.ingest(measurements)
    print("decoded \(samples.count) samples, stored \(stored)")
    for status in try store.feedStatus() {
        print("  \(status.series): \(status.count) values, last \(status.lastValue) \(status.unit) at \(status.lastTime)")
    }
    guard stored == 4 else { exit(1) }
} catch {
    print("\(error)")
    exit(1)
}
