import Foundation

/// Where a server the park runs may send requests a client asked for (the VTN's webhook
/// notifications and echo probes): an http(s) URL without credentials in it, whose host is
/// one the client is allowed to name (`allowedHosts`, exact, case-insensitive), or else whose
/// every address is public — not loopback, private (RFC 1918, unique-local), link-local
/// (the cloud metadata address among them), carrier-grade NAT, unspecified, multicast or
/// broadcast, in any of the spellings the resolver accepts (`0x7f000001`, `2130706433`,
/// IPv4-mapped IPv6). A host that does not resolve is refused.
public enum CallbackPolicy {
    /// Why `url` may not be called back (nil: it may).
    public static func refusal(_ url: String, allowedHosts: [String]) -> String? {
        if case .failure(let why) = target(url, allowedHosts: allowedHosts) { return why.description }
        return nil
    }

    /// Where to send a request for `url`: over plain http to a host that is not allow-listed,
    /// the address that passed the check, with the name in the Host header — so that a name
    /// that resolves elsewhere a moment later (DNS rebinding) is not asked again; over https
    /// the name itself (the certificate check binds the connection to it).
    public struct Target: Sendable, Equatable {
        public var url: String
        public var hostHeader: String?
    }

    /// Why a callback URL is refused (its scheme, host or address).
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    public static func target(_ url: String, allowedHosts: [String]) -> Result<Target, Refusal> {
        guard var c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = c.host, !host.isEmpty else { return .failure(Refusal(description: "not an absolute http(s) URL")) }
        if c.user != nil || c.password != nil {
            return .failure(Refusal(description: "credentials in the URL are not accepted (the subscription's bearerToken carries them)"))
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if allowedHosts.contains(bare.lowercased()) { return .success(Target(url: url, hostHeader: nil)) }
        let addresses = resolve(bare)
        guard let first = addresses.first else { return .failure(Refusal(description: "host '\(bare)' does not resolve")) }
        if let inside = addresses.first(where: { !isPublic($0) }) {
            return .failure(Refusal(description: "host '\(bare)' is \(inside.description), not a public address (a client's private hosts are listed in its 'callbackHosts')"))
        }
        guard scheme == "http" else { return .success(Target(url: url, hostHeader: nil)) }
        let port = c.port.map { ":\($0)" } ?? ""
        c.percentEncodedHost = first.bytes.count == 4 ? first.description : "[\(first.description)]"
        return .success(Target(url: c.string ?? url, hostHeader: bare + port))
    }

    /// An address as the resolver gives it: 4 or 16 bytes.
    public struct Address: CustomStringConvertible, Equatable {
        public var bytes: [UInt8]
        public var description: String {
            if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var raw = in6_addr()
            withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
            return inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil ? String(cString: text) : "?"
        }
    }

    static func resolve(_ host: String) -> [Address] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var out: [Address] = []
        var node = list
        while let n = node {
            if n.pointee.ai_family == AF_INET, let a = n.pointee.ai_addr {
                a.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    out.append(Address(bytes: withUnsafeBytes(of: sin.pointee.sin_addr) { Array($0) }))
                }
            } else if n.pointee.ai_family == AF_INET6, let a = n.pointee.ai_addr {
                a.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin in
                    out.append(Address(bytes: withUnsafeBytes(of: sin.pointee.sin6_addr) { Array($0) }))
                }
            }
            node = n.pointee.ai_next
        }
        return out
    }

    /// True for an address on the public internet.
    public static func isPublic(_ a: Address) -> Bool {
        let b = a.bytes
        if b.count == 16 {
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses are judged as IPv4.
            if b[0..<10].allSatisfy({ $0 == 0 }) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)) {
                return isPublic(Address(bytes: Array(b[12..<16])))
            }
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judged as that.
            if b[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return isPublic(Address(bytes: Array(b[12..<16]))) }
            if b[0] == 0x20 && b[1] == 0x02 { return isPublic(Address(bytes: Array(b[2..<6]))) }
            if b[0..<6] == [0, 0x64, 0xff, 0x9b, 0, 1] { return false }          // 64:ff9b:1::/48 local NAT64
            if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0 { return false }  // Teredo 2001::/32
            if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return false }              // fec0::/10 site-local
            if b.allSatisfy({ $0 == 0 }) { return false }                        // ::
            if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return false }  // ::1
            if b[0] & 0xfe == 0xfc { return false }                              // fc00::/7 unique local
            if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return false }              // fe80::/10 link-local
            if b[0] == 0xff { return false }                                     // multicast
            if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return false }  // documentation
            return true
        }
        guard b.count == 4 else { return false }
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false
        case (100, 64...127): return false               // carrier-grade NAT
        case (169, 254): return false                    // link-local, cloud metadata
        case (172, 16...31): return false
        case (192, 168): return false
        case (192, 0) where b[2] == 0 || b[2] == 2: return false
        case (198, 18...19): return false                // benchmarking
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return false
        case (192, 88) where b[2] == 99: return false   // 6to4 relays
        case (224...255, _): return false                // multicast, reserved, broadcast
        default: return true
        }
    }
}
