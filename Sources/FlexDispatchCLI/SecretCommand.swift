import Adapters
import ArgumentParser
import Foundation

struct SecretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Secrets for the servers' files: the stored (hashed) form of a VEN's secret or a resource manager's token.",
        subcommands: [Hash.self]
    )

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the stored form (pbkdf2-sha256$ROUNDS$SALT$HASH) of a secret read from standard input.",
            discussion: """
                The first line of standard input is the secret; its stored form goes into a clients file ('secretHash') or a \
                resources file ('tokenHash'). With --generate a random secret is made instead and printed first, then its \
                stored form. Exit codes: 0 printed; 2 no secret on standard input or one shorter than 16 characters.
                """
        )
        @Flag(help: "Make a random secret (32 bytes, base64url) instead of reading one.") var generate = false

        func run() throws {
            let secret: String
            if generate {
                let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max) }
                secret = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "")
                print(secret)
            } else {
                guard let line = readLine(strippingNewline: true), line.count >= 16 else {
                    CLILogging.logger("flexdispatch.secret").error("a secret of at least 16 characters is expected on standard input")
                    throw ExitCode(2)
                }
                secret = line
            }
            print(Credential.hash(secret))
        }
    }
}
