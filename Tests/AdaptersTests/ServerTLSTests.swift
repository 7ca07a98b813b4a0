@testable import Adapters
import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import OpenADRAPI
import RunHistory
import Testing
import TestSupport

/// The park's VTN and CEM over TLS with a certificate from a private CA: our VEN that
/// trusts the CA works, one that does not (or plain HTTP) is refused; a resource manager
/// completes the S2 exchange over wss://. Bad certificate files are errors naming them.
@Suite("Adapters: TLS for the VTN and the CEM", .serialized)
struct ServerTLSTests {
    static func certificates() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try TestCertificates.make(in: dir)
        return dir
    }

    @Test func vtnOverHTTPS() async throws {
        let dir = try Self.certificates()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tls = ServerTLS(certificateChain: dir.appendingPathComponent("server.crt").path, privateKey: dir.appendingPathComponent("server.key").path)
        let auth = VTNAuth(clients: [.init(id: "park-ven", secret: "s3cret", scopes: ["read_targets", "read_ven_objects", "write_vens", "write_reports"])])
        let service = try VTNService(auth: auth)
        let program = try service.addProgram(.init(programName: "tariff"))
        try service.addEvent(.init(programID: program.value1.id, eventName: "price", intervals: []))
        let (port, task) = try await LoopbackServer.start { onRunning in
            try await VTNServer(service: service, auth: auth, port: 0, tls: tls).run(onRunning: onRunning)
        }
        defer { task.cancel() }
        #expect(service.tokenURL == "https://127.0.0.1:\(port)/auth/token")

        var settings = VENClient.Settings(baseURL: URL(string: "https://127.0.0.1:\(port)")!, clientID: "park-ven", secret: "s3cret", venName: "park")
        settings.caFile = dir.appendingPathComponent("ca.crt").path
        settings.timeoutSeconds = 5
        let ven = try VENClient(settings)
        #expect(try await ven.register().hasPrefix("ven-"))
        #expect(try await ven.events().map(\.value2.eventName) == ["price"])

        settings.caFile = nil
        settings.timeoutSeconds = 2
        await #expect(throws: (any Error).self, "a VEN that does not trust the private CA got through") { _ = try await VENClient(settings).events() }
        var plain = settings
        plain.baseURL = URL(string: "http://127.0.0.1:\(port)")!
        await #expect(throws: (any Error).self, "plain HTTP got an answer from the TLS port") { _ = try await VENClient(plain).events() }

        settings.caFile = dir.appendingPathComponent("missing.pem").path
        #expect { _ = try VENClient(settings) } throws: { "\($0)".contains("missing.pem") }
        #expect { _ = try ServerTLS(certificateChain: dir.appendingPathComponent("ca.key").path, privateKey: tls.privateKey).configuration() }
            throws: { "\($0)".contains("ca.key") }
        #expect(throws: TLSFileError.self) { _ = try ServerTLS.from(certificate: tls.certificateChain, key: nil) }
    }

    @Test(.requires("ServerTLSTests/cemOverWSS", .s2Peer))
    func cemOverWSS() async throws {
        let dir = try Self.certificates()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tls = ServerTLS(certificateChain: dir.appendingPathComponent("server.crt").path, privateKey: dir.appendingPathComponent("server.key").path)
        let cem = S2CEMServer(resources: S2Tests.resources, plan: S2Tests.plan, store: nil, port: 0, tls: tls)
        let (port, server) = try await S2Tests.serve(cem)
        defer { server.cancel() }
        let rm = try await S2Peer.run("s2_rude_rm.py", ["--url", "wss://127.0.0.1:\(port)/ws/battery", "--name", "battery", "--bearer-token", S2Tests.token("battery"),
                                                        "--ca", dir.appendingPathComponent("ca.crt").path])
        #expect(rm.status == 0, "\(rm.err)")
        let factor = (S2Tests.frame(rm.out)["instruction"] as? [String: Any])?["factor"] as? Double
        #expect(factor.map { abs($0 - 0.65) < 1e-9 } == true, "\(rm.out)")
        let plainRM = try await S2Peer.run("s2_rude_rm.py", ["--url", "ws://127.0.0.1:\(port)/ws/battery", "--bearer-token", S2Tests.token("battery"), "--timeout", "5"])
        #expect(plainRM.status != 0, "a plain ws:// client was served by the wss:// CEM")
    }
}

extension ServerTLSTests {
    /// A certificate past its end (checked as of a day after it), one not valid yet, and an
    /// RSA key of 1024 bits are refused, each naming the file; the key file's permissions
    /// are a warning; TLS 1.1 gets no handshake from the VTN while TLS 1.2 does.
    @Test(.requires("ServerTLSTests/weakOrStaleCertificatesAndOldProtocolsAreRefused", .openssl))
    func weakOrStaleCertificatesAndOldProtocolsAreRefused() async throws {
        let dir = try Self.certificates()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cert = dir.appendingPathComponent("server.crt").path, key = dir.appendingPathComponent("server.key").path
        let tls = ServerTLS(certificateChain: cert, privateKey: key)
        _ = try tls.configuration()
        #expect { _ = try tls.configuration(now: Date().addingTimeInterval(3 * 86400)) } throws: { "\($0)".contains("expired") && "\($0)".contains(cert) }
        #expect { _ = try tls.configuration(now: Date().addingTimeInterval(-86400)) } throws: { "\($0)".contains("valid only from") }
        #expect(tls.warnings.contains { $0.contains(key) && $0.contains("every user can read it") })
        try Broker.shell("chmod 600 \(key)")
        #expect(tls.warnings.isEmpty)

        let d = dir.path
        try Broker.shell("openssl req -x509 -newkey rsa:1024 -nodes -days 2 -subj /CN=127.0.0.1 -keyout \(d)/weak.key -out \(d)/weak.crt")
        #expect { _ = try ServerTLS(certificateChain: "\(d)/weak.crt", privateKey: "\(d)/weak.key").configuration() } throws: {
            "\($0)".contains("1024 bits") && "\($0)".contains("weak.crt")
        }

        let auth = VTNAuth(clients: [])
        let service = try VTNService(auth: auth)
        let (port, task) = try await LoopbackServer.start { onRunning in
            try await VTNServer(service: service, auth: auth, port: 0, tls: tls).run(onRunning: onRunning)
        }
        defer { task.cancel() }
        func handshake(_ version: String, cipher: String = "DEFAULT@SECLEVEL=0", on port: Int) -> Bool {
            (try? Broker.shell("echo | openssl s_client -connect 127.0.0.1:\(port) -\(version) -cipher '\(cipher)' -CAfile \(d)/ca.crt")) != nil
        }
        // The VTN and the CEM: TLS 1.2 with an ECDHE AEAD suite, never TLS 1.0 or 1.1, never
        // a suite without forward secrecy (RSA key exchange) or without AEAD (CBC).
        let cem = S2CEMServer(resources: S2Tests.resources, plan: S2Tests.plan, store: nil, port: 0, tls: tls)
        let (cemPort, cemTask) = try await S2Tests.serve(cem)
        defer { cemTask.cancel() }
        for p in [port, cemPort] {
            #expect(handshake("tls1_2", on: p))
            #expect(handshake("tls1_2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", on: p))
            #expect(!handshake("tls1_1", on: p))
            #expect(!handshake("tls1", on: p))
            #expect(!handshake("tls1_2", cipher: "AES128-GCM-SHA256:AES256-SHA256@SECLEVEL=0", on: p))
            #expect(!handshake("tls1_2", cipher: "ECDHE-RSA-AES128-SHA@SECLEVEL=0", on: p))
        }
    }
}
