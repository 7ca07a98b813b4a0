import Foundation
import NIOSSL

/// TLS for the servers the park runs (its VTN, its S2 CEM): a PEM certificate chain and
/// its PEM private key. A file that cannot be read is an error naming it.
public struct ServerTLS: Sendable, Equatable {
    public var certificateChain: String
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// Both paths, or neither (plain TCP); one without the other is an error.
    public static func from(certificate: String?, key: String?) throws -> ServerTLS? {
        switch (certificate, key) {
        case (nil, nil): return nil
        case let (c?, k?): return ServerTLS(certificateChain: c, privateKey: k)
        default: throw TLSFileError(description: "--tls-cert and --tls-key go together")
        }
    }

    public func configuration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificateChain) } catch {
            throw TLSFileError(description: "\(certificateChain): not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw TLSFileError(description: "\(certificateChain): no certificate in it") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: privateKey, format: .pem) } catch {
            throw TLSFileError(description: "\(privateKey): not a PEM private key (\(error))")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }

    /// An HTTPS client configuration that trusts the CA certificate(s) in `caFile` (PEM)
    /// besides nothing else — for a VTN with a private CA.
    public static func clientTrusting(_ caFile: String) throws -> TLSConfiguration {
        do {
            var c = TLSConfiguration.makeClientConfiguration()
            c.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            return c
        } catch {
            throw TLSFileError(description: "\(caFile): not a PEM CA certificate (\(error))")
        }
    }
}

public struct TLSFileError: Error, CustomStringConvertible {
    public var description: String
}
