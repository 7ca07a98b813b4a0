import Foundation

/// The setpoint sinks a feeds configuration names: an MQTT feed with `setpointPrefix`
/// (connected here, as the feed's client id with `-setpoints` appended) and a
/// Modbus/SunSpec feed with `setpoints`.
public struct SetpointSinks {
    public let sinks: [any SetpointSink]
    private let clients: [MQTTClient]

    /// Opens every sink of `config`; an MQTT broker that cannot be reached within
    /// `connectSeconds` is an error naming the feed and the broker.
    public init(_ config: FeedConfig, connectSeconds: Double = 10) throws {
        var sinks: [any SetpointSink] = []
        var clients: [MQTTClient] = []
        do {
            for f in config.mqtt {
                guard let prefix = f.setpointPrefix else { continue }
                // Its own client id: the feed's collector may be connected under the feed's one
                // (`feeds run`, `operate` with collect), and a broker drops the older of two
                // sessions with one id.
                var settings = f.settings
                if !settings.clientID.isEmpty { settings.clientID += "-setpoints" }
                let client: MQTTClient
                do { client = try MQTTClient(settings) } catch { throw ConfigError(f.name, "\(error)") }
                clients.append(client)
                do { try client.start() } catch { throw ConfigError(f.name, "\(error)") }
                guard client.waitConnected(timeout: connectSeconds) else {
                    throw ConfigError(f.name, "cannot reach the MQTT broker at \(f.settings.host):\(f.settings.port)")
                }
                sinks.append(MQTTSetpointSink(name: f.name, client: client, prefix: prefix))
            }
        } catch {
            for c in clients { c.stop() }
            throw error
        }
        for f in config.modbus where !f.setpoints.isEmpty { sinks.append(SunSpecSetpointSink(source: SunSpecSource(feed: f))) }
        self.sinks = sinks
        self.clients = clients
    }

    /// Disconnects the MQTT clients.
    public func close() {
        for c in clients { c.stop() }
    }
}
