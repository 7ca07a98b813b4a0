@testable import Adapters
import Foundation
import Testing

@Suite("Adapters: the feeds configuration")
struct FeedConfigTests {
    static func read(_ json: String) throws -> FeedConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fd-cfg-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try FeedConfig.read(path: path)
    }

    static func error(_ json: String) -> String {
        do { _ = try read(json); return "" } catch { return "\(error)" }
    }

    static let series = #"{"name": "f01_load", "unit": "kW"}"#

    @Test func readsEveryFeedType() throws {
        let c = try Self.read("""
            {"series": [\(Self.series), {"name": "f01_soc", "unit": "%"}],
             "feeds": [{"type": "files", "name": "erp", "folder": "/tmp/x", "columns": {"m1": {"series": "f01_load", "unit": "W", "scale": 40}}},
                       {"type": "mqtt", "name": "gw", "port": 1884, "topics": {"park/+/m": {"series": "f01_load"}, "gw/p": {"series": "f01_load", "valuePath": "d.p", "timeFormat": "epochSeconds"}},
                        "setpointPrefix": "fd"},
                       {"type": "modbus", "name": "inv", "host": "10.0.0.5", "port": 502, "unitID": 3, "pollSeconds": 5,
                        "points": {"802.SoC": {"series": "f01_soc"}}, "setpoints": {"f01_bat": "storage"}}]}
            """)
        #expect(c.files.first?.columns["m1"] == FeedConfig.ColumnMapping(series: "f01_load", unit: "W", scale: 40))
        #expect(c.mqtt.first?.settings.port == 1884 && c.mqtt.first?.setpointPrefix == "fd")
        #expect(c.mqtt.first?.topics["gw/p"]?.shape?.valuePath == "d.p" && c.mqtt.first?.topics["gw/p"]?.shape?.timeFormat == .epochSeconds)
        #expect(c.mqtt.first?.topics["park/+/m"]?.shape == nil)
        let m = try #require(c.modbus.first)
        #expect(m.settings.host == "10.0.0.5" && m.settings.port == 502 && m.unitID == 3 && m.pollSeconds == 5)
        #expect(m.points["802.SoC"]?.series == "f01_soc" && m.setpoints == ["f01_bat": .storage])
    }

    @Test func errorsNameTheFieldAndTheFile() {
        func modbus(_ body: String) -> String {
            Self.error(#"{"series": [\#(Self.series)], "feeds": [{"type": "modbus", "name": "d", "host": "h", "port": 502, \#(body)}]}"#)
        }
        #expect(modbus(#""points": {"103.Watts": {"series": "f01_load"}}"#).contains("model 103 (inverter_three_phase) has no point 'Watts'"))
        #expect(modbus(#""points": {"999.W": {"series": "f01_load"}}"#).contains("expected MODEL.POINT with a known SunSpec model"))
        #expect(modbus(#""points": {"103.W": {"series": "f99"}}"#).contains("series 'f99' is not declared"))
        #expect(modbus(#""points": {"103.W": {"series": "f01_load", "scale": 0}}"#).contains("points.103.W.scale: must be a finite, non-zero number"))
        #expect(modbus(#""setpoints": {"b": "fly"}"#).contains("setpoints.b: one of inverterLimit, storage"))
        #expect(modbus(#""unitID": 300, "points": {"103.W": {"series": "f01_load"}}"#).contains("unitID: 300 is not in 0…255"))
        #expect(Self.error(#"{"series": [\#(Self.series)], "feeds": [{"type": "modbus", "name": "d", "host": "h", "port": 502}]}"#)
                    .contains("needs 'points' or 'setpoints'"))
        #expect(Self.error(#"{"series": [], "feeds": [{"type": "modbus", "name": "d", "port": 502}]}"#).contains("needs 'host' and a 'port'"))
        #expect(Self.error(#"{"series": [], "feeds": [{"type": "ftp", "name": "x"}]}"#).contains("'ftp' is not an adapter"))
        #expect(Self.error(#"{"series": [\#(Self.series)], "feeds": [{"type": "files", "name": "f", "folder": "x", "columns": {"a": {"series": "f01_load", "colour": 1}}}]}"#)
                .contains("'colour' is not a known field"))
        #expect(Self.error("[1]").contains("not a JSON object"))
        #expect(Self.error(#"{"series": [], "feeds": [{"type": "mqtt", "name": "g", "topics": {"t": {"series": "", "timeFormat": "ms"}}}]}"#)
                .contains("timeFormat: one of iso8601, epochSeconds, epochMillis, received"))
        // Payload shapes belong to MQTT topics only.
        #expect(Self.error(#"{"series": [\#(Self.series)], "feeds": [{"type": "files", "name": "f", "folder": "x", "columns": {"a": {"series": "f01_load", "valuePath": "v"}}}]}"#)
                .contains("'valuePath' is not a known field"))
    }
}
