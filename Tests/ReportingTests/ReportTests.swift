import CZlib
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ParkModel
import Reporting
import TestSupport
import Testing

@Suite("report.html: self-contained, well-formed, rendered by Chromium")
struct ReportTests {
    static let root = SharedData.packageRoot
    /// Forecasts each requested series as the time-series file's own values, within ±10 %:
    /// the report draws whatever forecasts a run has, and the forecasting models are not
    /// what these tests are about.
    struct ActualsAsForecasts: SeriesForecaster {
        func forecast(_ request: ForecastRequest) -> ForecastResponse {
            ForecastResponse(forecasts: request.series.compactMap { s in
                request.columns[s.name].map {
                    SeriesForecast(series: s.name, role: s.role, model: "actuals", historyFile: "history/history.csv", historyHours: 0,
                                   p10: $0.map { 0.9 * $0 }, p50: $0, p90: $0.map { 1.1 * $0 }, actual: $0)
                }
            })
        }
    }

    static func report(_ dataset: String, _ edit: (inout Scenario) -> Void = { _ in }) throws -> String {
        var s = try ScenarioReader.read(directory: root.appendingPathComponent("datasets/\(dataset)").path, forecaster: ActualsAsForecasts())
        edit(&s)
        return RunReport.html(scenario: s, run: try DispatchRun.solve(s))
    }

    /// Every inline SVG parses as XML.
    static func svgs(_ html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let a = rest.range(of: "<svg"), let b = rest.range(of: "</svg>", range: a.upperBound..<rest.endIndex) {
            out.append(String(rest[a.lowerBound..<b.upperBound]))
            rest = rest[b.upperBound...]
        }
        return out
    }

    @Test func everyChartIsThereAndWellFormedWithoutExternalResources() throws {
        let html = try Self.report("tiny")
        for title in ["Park balance", "Internal price λ against the grid tariff", "Battery state of charge",
                      "Cost per firm: standalone against in the park", "Cost breakdown of the park optimum"] {
            #expect(html.contains(title), "missing chart \(title)")
        }
        #expect(html.contains("The scenario has no carbon intensity."))
        let charts = Self.svgs(html)
        #expect(charts.count == 5)
        for svg in charts {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("@import") && !html.contains("url("))
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "http") == nil)
        // Time labels on the park's clock and units on the axes.
        let tinyStart = try ScenarioReader.read(directory: Self.root.appendingPathComponent("datasets/tiny").path).times[0]
        #expect(html.contains(">\(tinyStart.dropFirst(11).prefix(5))<") && html.contains("time (UTC\(tinyStart.suffix(6)))"))
        #expect(html.contains(">kW<") && html.contains("/kWh<"))
    }

    @Test func infeasibleRunLeadsWithTheExplanation() throws {
        let html = try Self.report("tiny") { $0.park.importMaxKW = 10 }
        let alert = try #require(html.range(of: "class=\"alert\""))
        #expect(html.range(of: "<svg") == nil || html.range(of: "<svg")!.lowerBound > alert.lowerBound)
        #expect(html.contains("No dispatch: the scenario is infeasible"))
        #expect(html.contains("<li>"))
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Renders the bundled park's report at 1280 px in headless Chromium: a PNG of the
    /// expected size, not blank, and no console messages.
    @Test(.requires("ReportTests/chromiumRendersTheBundledParksReport",
                    Requirement("Chromium", hint: "scripts/test.sh installs Debian's chromium") { chromium != nil }))
    func chromiumRendersTheBundledParksReport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let page = dir.appendingPathComponent("report.html"), png = dir.appendingPathComponent("report.png")
        let html = try Self.report("ordos-park")
        for title in ["Shiftable loads inside their windows, and electrolyzers", "Energy shed per firm",
                      "Emissions of the park's imports, cumulative", "Forecast park load (sum of the forecast firm loads)"] {
            #expect(html.contains(title), "missing chart \(title)")
        }
        #expect(Self.svgs(html).count == 9)
        try html.write(to: page, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.chromium!)
        p.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                       "--user-data-dir=\(dir.path)/profile", "--window-size=1280,2400", "--screenshot=\(png.path)", page.absoluteString]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(!log.contains("CONSOLE"), "console output: \(log.split(separator: "\n").filter { $0.contains("CONSOLE") })")
        let image = try #require(PNG(contentsOf: png))
        #expect(image.width == 1280 && image.height == 2400)
        #expect(image.distinctSampleValues > 50, "the screenshot looks blank")
    }
}

/// Just enough of PNG to check a screenshot: size, and how varied its (filtered) samples are.
struct PNG {
    var width = 0, height = 0
    var distinctSampleValues = 0

    init?(contentsOf url: URL) {
        guard let data = try? Data(contentsOf: url), data.count > 33, data.prefix(8) == Data([137, 80, 78, 71, 13, 10, 26, 10]) else { return nil }
        let bytes = [UInt8](data)
        func u32(_ k: Int) -> Int { Int(bytes[k]) << 24 | Int(bytes[k + 1]) << 16 | Int(bytes[k + 2]) << 8 | Int(bytes[k + 3]) }
        var k = 8
        var idat: [UInt8] = []
        var channels = 4
        while k + 8 <= bytes.count {
            let length = u32(k), type = String(decoding: bytes[(k + 4)..<(k + 8)], as: UTF8.self)
            let body = Array(bytes[(k + 8)..<min(k + 8 + length, bytes.count)])
            if type == "IHDR" {
                width = u32(k + 8); height = u32(k + 12)
                channels = [0: 1, 2: 3, 4: 2, 6: 4][Int(body[9])] ?? 4
            }
            if type == "IDAT" { idat += body }
            k += 12 + length
        }
        var size = uLongf(height * (1 + width * channels))
        var raw = [UInt8](repeating: 0, count: Int(size))
        guard uncompress(&raw, &size, idat, uLong(idat.count)) == Z_OK else { return nil }
        distinctSampleValues = Set(raw.prefix(Int(size))).count
    }
}
