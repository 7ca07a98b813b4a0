import _CryptoExtras
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

    /// The server configuration: TLS 1.2 at least, forward-secret AEAD cipher suites only
    /// (TLS 1.3's own, ECDHE with AES-GCM or ChaCha20-Poly1305 below it). A certificate that
    /// has expired or is not valid yet, or an RSA key under 2048 bits, is refused.
    public func configuration(now: Date = Date()) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificateChain) } catch {
            throw TLSFileError(description: "\(certificateChain): not a PEM certificate chain (\(error))")
        }
        guard let leaf = chain.first else { throw TLSFileError(description: "\(certificateChain): no certificate in it") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: privateKey, format: .pem) } catch {
            throw TLSFileError(description: "\(privateKey): not a PEM private key (\(error))")
        }
        let t = time_t(now.timeIntervalSince1970)
        if leaf.notValidAfter < t {
            throw TLSFileError(description: "\(certificateChain): the certificate expired on \(Date(timeIntervalSince1970: Double(leaf.notValidAfter)))")
        }
        if leaf.notValidBefore > t {
            throw TLSFileError(description: "\(certificateChain): the certificate is valid only from \(Date(timeIntervalSince1970: Double(leaf.notValidBefore)))")
        }
        if let spki = try? leaf.extractPublicKey().toSPKIBytes(), let rsa = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: spki),
           rsa.keySizeInBits < 2048 {
            throw TLSFileError(description: "\(certificateChain): an RSA key of \(rsa.keySizeInBits) bits; 2048 at least")
        }
        var c = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        c.minimumTLSVersion = .tlsv12
        c.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                               .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                               .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]
        return c
    }

    /// What the operator should know: a private key file every user can read.
    public var warnings: [String] { FilePermissions.exposed(privateKey, holding: "the server's TLS private key") }

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

/// A certificate or key file that cannot be read or used, naming the file.
public struct TLSFileError: Error, CustomStringConvertible {
    public var description: String
}
