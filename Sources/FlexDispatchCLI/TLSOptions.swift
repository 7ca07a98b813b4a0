import Adapters
import ArgumentParser
import Logging

/// `--tls-cert` and `--tls-key` of the servers the park runs (`vtn serve`, `cem serve`).
struct TLSOptions: ParsableArguments {
    @Option(help: "TLS: the server's certificate chain (PEM); with --tls-key.") var tlsCert: String?
    @Option(help: "TLS: the server's private key (PEM).") var tlsKey: String?

    /// The files, read and checked now (nil: plain TCP); a bad pair is exit 2 naming the file.
    func load(_ logger: Logger) throws -> ServerTLS? {
        do {
            let tls = try ServerTLS.from(certificate: tlsCert, key: tlsKey)
            _ = try tls?.configuration()
            for w in tls?.warnings ?? [] { logger.warning("\(w)") }
            return tls
        } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
    }
}
