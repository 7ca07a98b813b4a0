import Foundation

/// The setpoint sinks a feeds configuration names: an MQTT feed with `setpointPrefix`
/// (connected here) and a Modbus/SunSpec feed with `setpoints`.
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
                let client: MQTTClient
                do { client = try MQTTClient(f.settings) } catch { throw ConfigError(f.name, "\(error)") }
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
