import Adapters
import ArgumentParser
import Foundation
import LinearProgramming
import RunHistory

extension FeedsCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write stored measurements as a scenario history file (step means), for the batch to forecast from.",
            discussion: "Exit codes: 0 written; 1 the store failed; 2 bad arguments."
        )
        @Option(help: "Store: a SQLite file or a postgres:// URL.") var db: String = "out/flexdispatch.sqlite"
        @Option(help: "Series, comma-separated, named as in the scenario (e.g. f01_load,pv_pu).") var series: String
        @Option(help: "First step (ISO 8601).") var from: String
        @Option(help: "End, exclusive (ISO 8601), e.g. the scenario's start.") var to: String
        @Option(help: "Step in minutes.") var stepMinutes: Double = 15
        @Option(help: "History file to write (atomically), e.g. SCENARIO/history/measured.csv.") var out: String

        func run() throws {
            let logger = CLILogging.logger("flexdispatch.feeds")
            let parse = ISO8601DateFormatter()
            guard let start = parse.date(from: from) else { logger.error("--from '\(from)': not an ISO 8601 time"); throw ExitCode(2) }
            guard let end = parse.date(from: to) else { logger.error("--to '\(to)': not an ISO 8601 time"); throw ExitCode(2) }
            guard end > start, stepMinutes > 0 else { logger.error("--to must be after --from and --step-minutes positive"); throw ExitCode(2) }
            let names = series.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !names.isEmpty else { logger.error("--series: no series named"); throw ExitCode(2) }
            let store = try FeedsCommand.openStore(db)
            do {
                let (text, samples) = try HistoryExport.csv(store: store, series: names, from: start, to: end, stepSeconds: stepMinutes * 60,
                                                            utcOffsetSeconds: Self.offset(of: from))
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(), withIntermediateDirectories: true)
                try AtomicFile.write(Data(text.utf8), to: out)
                logger.info("\(out): \(names.count) series, \(samples) samples in \(text.split(separator: "\n").count - 1) steps")
            } catch {
                logger.error("\(error)")
                throw ExitCode(1)
            }
        }

        /// The UTC offset written in an ISO 8601 time ("…+08:00" → 28800; "Z" → 0).
        static func offset(of text: String) -> Int {
            guard let m = text.range(of: #"([+-])(\d{2}):?(\d{2})$"#, options: .regularExpression) else { return 0 }
            let s = text[m]
            let sign = s.hasPrefix("-") ? -1 : 1
            let digits = s.dropFirst().replacingOccurrences(of: ":", with: "")
            return sign * ((Int(digits.prefix(2)) ?? 0) * 3600 + (Int(digits.suffix(2)) ?? 0) * 60)
        }
    }
}
