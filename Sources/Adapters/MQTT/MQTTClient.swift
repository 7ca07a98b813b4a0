import CMosquitto
import Foundation
import Logging

/// A thin MQTT 5 client over Debian's libmosquitto: connects (username/password, TLS
/// when given a CA file), keeps a persistent session (clean start off, session expiry one
/// hour: the broker keeps subscriptions and queued QoS 1 messages across reconnects),
/// re-subscribes on every (re)connect, reconnects with exponential back-off on its own
/// network thread, and hands every message to `onMessage`.
public final class MQTTClient: @unchecked Sendable {
    /// The broker's address, the client id, credentials, the CA file for TLS and the keep-alive.
    public struct Settings: Sendable {
        public var host = "127.0.0.1"
        public var port = 1883
        public var clientID = "flexdispatch"
        public var username: String?
        public var password: String?
        /// CA certificate file: TLS on when set.
        public var caFile: String?
        public var keepAliveSeconds = 30
        public init() {}
    }

    let settings: Settings
    let mosq: OpaquePointer
    let logger = Logger(label: "flexdispatch.mqtt")
    private let lock = NSLock()
    private var subscriptions: [(topic: String, qos: Int32)] = []
    private var connected = false
    private var connects = 0
    private var refused: String?
    /// Message ids of SUBSCRIBE requests of this connection the broker has not answered yet.
    private var unansweredSubscriptions: Set<Int32> = []
    /// Message ids of QoS ≥ 1 publications the broker has not acknowledged yet.
    private var unacknowledged: Set<Int32> = []
    public var onMessage: (@Sendable (String, Data) -> Void)?

    static let initialised: Bool = { mosquitto_lib_init() == MOSQ_ERR_SUCCESS.rawValue }()

    public init(_ settings: Settings) throws {
        _ = Self.initialised
        self.settings = settings
        guard let m = mosquitto_new(settings.clientID, false, nil) else { throw MQTTError("cannot create an MQTT client") }
        mosq = m
        mosquitto_user_data_set(mosq, Unmanaged.passUnretained(self).toOpaque())
        try check(mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5), "protocol version")
        if let u = settings.username { try check(mosquitto_username_pw_set(mosq, u, settings.password), "username") }
        if let ca = settings.caFile { try check(mosquitto_tls_set(mosq, ca, nil, nil, nil, nil), "TLS") }
        try check(mosquitto_reconnect_delay_set(mosq, 1, 30, true), "reconnect delay")
        mosquitto_connect_callback_set(mosq) { _, obj, rc in
            guard let obj else { return }
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().connected(rc)
        }
        mosquitto_disconnect_callback_set(mosq) { _, obj, rc in
            guard let obj else { return }
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().disconnected(rc)
        }
        mosquitto_publish_callback_set(mosq) { _, obj, mid in
            guard let obj else { return }
            let me = Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue()
            me.lock.lock(); me.unacknowledged.remove(mid); me.lock.unlock()
        }
        mosquitto_subscribe_callback_set(mosq) { _, obj, mid, count, granted in
            guard let obj else { return }
            let codes = (0..<Int(count)).compactMap { granted?[$0] }
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().subscribed(mid, codes)
        }
        mosquitto_message_callback_set(mosq) { _, obj, message in
            guard let obj, let message, let topic = message.pointee.topic else { return }
            let data = message.pointee.payload.map { Data(bytes: $0, count: Int(message.pointee.payloadlen)) } ?? Data()
            Unmanaged<MQTTClient>.fromOpaque(obj).takeUnretainedValue().onMessage?(String(cString: topic), data)
        }
    }

    deinit {
        mosquitto_disconnect(mosq)
        mosquitto_loop_stop(mosq, true)
        mosquitto_destroy(mosq)
    }

    func check(_ rc: Int32, _ what: String) throws {
        guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw MQTTError("\(what): \(String(cString: mosquitto_strerror(rc)))") }
    }

    /// Starts the network thread and connects (asynchronously: `waitConnected` to wait).
    public func start() throws {
        var props: OpaquePointer? = nil
        try check(mosquitto_property_add_int32(&props, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), 3600), "session expiry")
        defer { mosquitto_property_free_all(&props) }
        try check(mosquitto_loop_start(mosq), "network thread")
        let rc = mosquitto_connect_bind_v5(mosq, settings.host, Int32(settings.port), Int32(settings.keepAliveSeconds), nil, props)
        if rc != MOSQ_ERR_SUCCESS.rawValue {
            // The network thread keeps retrying; say why the first attempt failed.
            logger.warning("MQTT \(settings.host):\(settings.port): \(String(cString: mosquitto_strerror(rc))); retrying")
            mosquitto_reconnect_async(mosq)
        }
    }

    public func stop() {
        mosquitto_disconnect(mosq)
        mosquitto_loop_stop(mosq, false)
    }

    /// Subscribes now (when connected) and after every reconnect.
    public func subscribe(_ topic: String, qos: Int32 = 1) {
        lock.lock()
        defer { lock.unlock() }
        subscriptions.append((topic, qos))
        if connected { sendSubscribe(topic, qos) }
    }

    /// Sends one SUBSCRIBE and remembers it until the broker answers; `lock` held, so that
    /// the answer (on the network thread) cannot be handled before the request is recorded.
    private func sendSubscribe(_ topic: String, _ qos: Int32) {
        var mid: Int32 = 0
        let rc = mosquitto_subscribe(mosq, &mid, topic, qos)
        if rc == MOSQ_ERR_SUCCESS.rawValue {
            unansweredSubscriptions.insert(mid)
        } else {
            logger.warning("MQTT subscribe \(topic): \(String(cString: mosquitto_strerror(rc)))")
        }
    }

    public func publish(_ topic: String, _ payload: Data, qos: Int32 = 1, retain: Bool = false) throws {
        var mid: Int32 = 0
        lock.lock()
        defer { lock.unlock() }
        let rc = payload.withUnsafeBytes { mosquitto_publish(mosq, &mid, topic, Int32(payload.count), $0.baseAddress, qos, retain) }
        try check(rc, "publish \(topic)")
        if qos > 0 { unacknowledged.insert(mid) }
    }

    /// True once the broker has acknowledged every QoS ≥ 1 publication (PUBACK), false
    /// after `timeout` seconds.
    public func waitAcknowledged(timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            lock.lock()
            let done = unacknowledged.isEmpty
            lock.unlock()
            if done { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// True once connected (or false after `timeout` seconds).
    public func waitConnected(timeout: Double) -> Bool {
        wait(timeout: timeout) { $0.isConnected }
    }

    /// True once connected with every subscription answered by the broker, so that what is
    /// published from then on reaches `onMessage` (or false after `timeout` seconds).
    public func waitSubscribed(timeout: Double) -> Bool {
        wait(timeout: timeout) { $0.isSubscribed }
    }

    private func wait(timeout: Double, until condition: (MQTTClient) -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition(self) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition(self)
    }

    public var isConnected: Bool { lock.lock(); defer { lock.unlock() }; return connected }
    /// Connected, and the broker has answered every SUBSCRIBE of this connection.
    public var isSubscribed: Bool { lock.lock(); defer { lock.unlock() }; return connected && unansweredSubscriptions.isEmpty }
    /// How many times the client has connected (reconnects included).
    public var connectionCount: Int { lock.lock(); defer { lock.unlock() }; return connects }
    /// Why the broker refused the last connection attempt, when it did.
    public var refusal: String? { lock.lock(); defer { lock.unlock() }; return refused }

    func connected(_ rc: Int32) {
        guard rc == 0 else {
            let why = rc >= 128 ? String(cString: mosquitto_reason_string(rc)) : String(cString: mosquitto_connack_string(rc))
            logger.warning("MQTT \(settings.host):\(settings.port): connect refused: \(why)")
            lock.lock(); refused = why; lock.unlock()
            return
        }
        lock.lock()
        defer { lock.unlock() }
        connected = true
        connects += 1
        refused = nil
        unansweredSubscriptions = []
        for s in subscriptions { sendSubscribe(s.topic, s.qos) }
    }

    func subscribed(_ mid: Int32, _ granted: [Int32]) {
        if let refused = granted.first(where: { $0 >= 0x80 }) {
            logger.warning("MQTT \(settings.host):\(settings.port): subscription refused (reason code \(refused))")
        }
        lock.lock(); unansweredSubscriptions.remove(mid); lock.unlock()
    }

    func disconnected(_ rc: Int32) {
        lock.lock(); connected = false; unansweredSubscriptions = []; lock.unlock()
        if rc != 0 { logger.warning("MQTT connection lost (\(String(cString: mosquitto_strerror(rc)))); reconnecting") }
    }
}

/// An MQTT operation that failed, with libmosquitto's reason.
public struct MQTTError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
