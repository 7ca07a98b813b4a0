@testable import Adapters
import Foundation
import RunHistory
import Testing
import TestSupport

@Suite("Adapters: Modbus TCP/SunSpec against pymodbus and pysunspec2", .serialized, .requires("SunSpecTests", .sunSpecPeer))
struct SunSpecTests {
    static func client(_ port: Int, timeout: Double = 1, retries: Int = 1) -> ModbusTCPClient {
        var s = ModbusTCPClient.Settings(host: "127.0.0.1", port: port)
        s.timeoutSeconds = timeout
        s.retries = retries
        s.backoffSeconds = 0.05
        return ModbusTCPClient(s)
    }

    @Test func discoversReadsAndWritesConfirmedByPySunSpec2() async throws {
        let peer = try SunSpecPeer()
        defer { peer.stop() }
        let device = try await SunSpecDevice.discover(Self.client(peer.port))
        #expect(device.base == 40000)
        #expect(device.models.map(\.id) == [1, 103, 120, 123, 124, 802, 203])
        // The chain is contiguous: each model starts where the previous one ends.
        for (a, b) in zip(device.models, device.models.dropFirst()) { #expect(b.address == a.address + 2 + a.length) }
        let independent = try await SunSpecPeer.read(port: peer.port, model: 1, points: ["Mn"])
        #expect((independent["models"] as? [Int]) == device.models.map(\.id))

        let common = try await device.read(1)
        #expect(common.text("Mn") == "FlexDispatchSim")
        #expect(common.text("SN") == "SIM-\(peer.port)")
        let inverter = try await device.read(103)
        let hz = try #require(inverter.value("Hz"))
        #expect(abs(hz - 50) < 1)
        let w = try #require(inverter.value("W"))
        let pyW = try await SunSpecPeer.read(port: peer.port, model: 103, points: ["W"])
        let pyValue = try #require(((pyW["points"] as? [String: Any])?["W"] as? [String: Any])?["value"] as? Double)
        #expect(abs(pyValue - w) < 1e-9, "pysunspec2 reads W = \(pyValue), we read \(w)")

        // A setpoint through the sink: 40 % of the inverter's rating, read back by pysunspec2.
        let rating = try #require(try await device.read(120).value("WRtg"))
        var feed = FeedConfig.ModbusFeed(name: "dev", settings: .init(host: "127.0.0.1", port: peer.port), unitID: 1, pollSeconds: 1,
                                         points: [:], setpoints: ["f01_pv": .inverterLimit, "f01_bat": .storage])
        feed.settings.timeoutSeconds = 1
        let sink = SunSpecSetpointSink(source: SunSpecSource(feed: feed))
        let t0 = Date()
        let receipts = try await sink.send([
            Setpoint(asset: "f01_pv", step: 0, time: t0, seconds: 900, powerKW: -0.4 * rating / 1000),
            Setpoint(asset: "f01_bat", step: 0, time: t0, seconds: 900, powerKW: 1),
        ], step: 0)
        #expect(receipts.count == 2 && receipts.allSatisfy { $0.error == nil }, "\(receipts)")
        let limit = try await SunSpecPeer.read(port: peer.port, model: 123, points: ["WMaxLimPct", "WMaxLim_Ena"])["points"] as? [String: [String: Any]]
        #expect(abs((limit?["WMaxLimPct"]?["value"] as? Double ?? -1) - 40) < 0.5)
        #expect(limit?["WMaxLim_Ena"]?["raw"] as? Int == 1)
        let storage = try await SunSpecPeer.read(port: peer.port, model: 124, points: ["StorCtl_Mod", "InWRte", "WChaMax"])["points"] as? [String: [String: Any]]
        #expect(storage?["StorCtl_Mod"]?["raw"] as? Int == 1)
        let wchamax = try #require(storage?["WChaMax"]?["value"] as? Double)
        #expect(abs((storage?["InWRte"]?["value"] as? Double ?? -1) - 1000 / wchamax * 100) < 0.05)

        // The other direction: pysunspec2 writes, we read.
        _ = try await SunSpecPeer.read(port: peer.port, model: 123, points: ["WMaxLimPct"], write: "123.WMaxLimPct=77")
        let back = try await device.read(123)
        let limitPoint = try #require(back.definition.point("WMaxLimPct"))
        let sf = try #require(back.scaleExponent(limitPoint))
        let readBack = try #require(back.value("WMaxLimPct"))
        #expect(abs(readBack - 77 * pow(10, Double(sf))) < 1e-9)

        // A read-only point is refused before anything is sent; the device refuses a write to its register.
        await #expect(throws: SunSpecError.self) { try await device.write(103, "W", 5) }
        let wAddress = UInt16(try device.instance(103).address + (inverter.definition.point("W")?.offset ?? 0))
        await #expect(throws: ModbusError.exception(function: 6, code: 2)) {
            _ = try await device.transport.send(.writeSingleRegister(address: wAddress, value: 1), unitID: 1)
        }
    }

    @Test func faultsBecomeClearErrorsWithoutHanging() async throws {
        let silent = try SunSpecPeer(arguments: ["--fault", "timeout"])
        defer { silent.stop() }
        let started = Date()
        await #expect(throws: ModbusError.timeout(seconds: 0.3)) {
            _ = try await SunSpecDevice.discover(Self.client(silent.port, timeout: 0.3, retries: 2))
        }
        // Three attempts of 0.3 s and back-offs of 0.05 + 0.1 s; the silent device never answers,
        // so any finite bound shows the time-out ended the wait. 20 s leaves room for a loaded CI.
        #expect(Date().timeIntervalSince(started) < 20)

        let failing = try SunSpecPeer(arguments: ["--fault", "exception"])
        defer { failing.stop() }
        do {
            _ = try await SunSpecDevice.discover(Self.client(failing.port))
            Issue.record("a device answering exception 4 was taken for SunSpec")
        } catch let e as ModbusError {
            #expect(e == .exception(function: 3, code: 4))
            #expect("\(e)".contains("server device failure"))
        }

        let wrong = try SunSpecPeer(arguments: ["--fault", "bad-marker"])
        defer { wrong.stop() }
        do {
            _ = try await SunSpecDevice.discover(Self.client(wrong.port))
            Issue.record("a wrong marker was accepted")
        } catch let e as SunSpecError {
            guard case .notSunSpec(let tried, let found) = e else { Issue.record("\(e)"); return }
            #expect(tried == [40000, 0, 50000])
            #expect(found.contains("0x6E54"), "\(found)")
        }

        // Nobody listening: a connection error, not a hang.
        let closed = Self.client(silent.port + 1, timeout: 0.5, retries: 0)
        await #expect(throws: ModbusError.self) { _ = try await closed.send(.readHoldingRegisters(address: 40000, count: 2), unitID: 1) }
    }
}
