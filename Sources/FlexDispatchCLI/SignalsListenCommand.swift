import Adapters
import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import RunHistory

extension SignalsCommand {
    struct Listen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe to a VTN's events (webhook) and keep a scenario's prices and carbon intensity up to date until stopped.",
            discussion: """
                Registers as a VEN, subscribes to the events of the program (created, updated, deleted) with a callback \
                URL and a fresh bearer token, pulls once, then serves the callback: each notification that changes an \
                event rewrites the scenario's signal columns from the events known (the scenario as it was when \
                listening began, with the signals over it — a withdrawn event gives the steps their own values back). \
                A poll every --poll-every seconds catches what a lost notification missed. The callback also answers a \
                VTN's check of it before it accepts the subscription (GET <callback>/echo?echo=VALUE, answered with \
                VALUE). When listening ends (SIGINT/SIGTERM, --duration, or an error after subscribing) the subscription \
                is removed at the VTN (a failure to remove it is a warning) and the callback shuts down gracefully. \
                Everything is logged as feed events (`feeds status`). Exit codes: 0 stopped (SIGINT/SIGTERM or \
                --duration); 1 the VTN could not be reached to subscribe, or the callback could not be served; 2 bad input.
                """
        )
        @Option(help: "VEN configuration (JSON), as for `signals pull`.") var ven: String
        @Option(help: "Scenario folder to keep up to date.") var scenario: String
        @Option(help: "Address the callback listens on.") var host: String = "127.0.0.1"
        @Option(help: "Port the callback listens on (0: any free port).") var port: Int = 8004
        @Option(help: "The callback URL as the VTN reaches it (default: http://HOST:PORT/notifications).") var callbackURL: String?
        @Option(help: "Seconds between fallback polls (0: none).") var pollEvery: Double = 900
        @Option(help: "Stop after this many seconds.") var duration: Double?
        @Option(help: "Store for the feed events: a SQLite file or a postgres:// URL.") var db: String = "out/flexdispatch.sqlite"
        @Flag(help: "Do not log in a store.") var noDB = false

        func run() async throws {
            let logger = CLILogging.logger("flexdispatch.signals")
            var settings: VENClient.Settings
            let horizon: (Date, Date)
            let base: String
            do {
                settings = try SignalsCommand.settings(ven)
                horizon = try SignalsCommand.horizon(scenario)
                base = try ScenarioSignals.timeSeriesText(scenarioDirectory: scenario)
                if let u = callbackURL, URL(string: u)?.host == nil { throw ValidationError("--callback-url '\(u)' is not a URL") }
            } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
            if !settings.scopes.contains("write_subscriptions") { settings.scopes += " write_subscriptions" }
            let store = SignalsCommand.openFeedStore(db, noDB: noDB)
            let client: VENClient
            do { client = try VENClient(settings) } catch {
                logger.error("\(ven): \(error)")
                throw ExitCode(2)
            }
            let token = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 36) }.joined()
            let changed = NIOLockedValueBox(false)
            let stop = StopFlag()
            stop.install()
            let end = duration.map { Date().addingTimeInterval($0) } ?? .distantFuture
            let settingsNow = settings
            let scenario = self.scenario, host = self.host, port = self.port, callbackURL = self.callbackURL, pollEvery = self.pollEvery

            @Sendable func update(_ why: String) {
                let signals = client.knownSignals(from: horizon.0, to: horizon.1)
                do {
                    let changes = try ScenarioSignals.apply(signals, scenarioDirectory: scenario, base: base)
                    let message = "\(why): \(client.known.all.count) event(s), \(signals.count) signal interval(s); "
                        + "\(changes.count) step value(s) differ from the scenario as it was"
                    logger.info("\(message)")
                    SignalsCommand.logFeed(store, settingsNow, why == "poll" ? "pulled" : "notified", message)
                } catch {
                    logger.error("\(error)")
                    SignalsCommand.logFeed(store, settingsNow, "error", "\(scenario): \(error)")
                }
            }

            @Sendable func unsubscribe(_ id: String) async {
                do {
                    try await client.unsubscribe(id)
                    logger.info("subscription \(id) removed")
                    SignalsCommand.logFeed(store, settingsNow, "unsubscribed", "subscription \(id) removed")
                } catch {
                    logger.warning("subscription \(id) could not be removed: \(error)")
                    SignalsCommand.logFeed(store, settingsNow, "error", "unsubscribe: \(error)")
                }
            }

            do {
                try await withTaskExecutorPreference(FeedExecutor.shared) {
                    let hook = VENWebhook(token: token, events: client.known, host: host, port: port) { n, outcome in
                        logger.info("notified: \(n.operation.rawValue) event → \(outcome.rawValue)")
                        changed.withLockedValue { $0 = true }
                    }
                    let bound = NIOLockedValueBox(0)
                    let server = Task {
                        do { try await hook.run { p in bound.withLockedValue { $0 = p } } } catch {
                            bound.withLockedValue { $0 = -1 }
                            throw error
                        }
                    }
                    var subscription: String?
                    do {
                        while bound.withLockedValue({ $0 }) == 0 { try await Task.sleep(nanoseconds: 20_000_000) }
                        if bound.withLockedValue({ $0 }) < 0 { try await server.value }
                        let hostPart = host.contains(":") ? "[\(host)]" : host
                        guard let url = URL(string: callbackURL ?? "http://\(hostPart):\(bound.withLockedValue { $0 })/notifications") else {
                            throw VENError("no callback URL can be made of host '\(host)': give --callback-url")
                        }
                        let id = try await client.register()
                        let subscribed = try await client.subscribe(callbackURL: url, bearerToken: token)
                        subscription = subscribed
                        logger.info("VEN '\(settingsNow.venName)' (\(id)) subscribed as \(subscribed): notifications to \(url)")
                        SignalsCommand.logFeed(store, settingsNow, "subscribed", "subscription \(subscribed): notifications to \(url)")
                        try await client.refresh()
                        update("poll")
                        var nextPoll = pollEvery > 0 ? Date().addingTimeInterval(pollEvery) : .distantFuture
                        while !stop.isSet && Date() < end {
                            try await Task.sleep(nanoseconds: 200_000_000)
                            if changed.withLockedValue({ let c = $0; $0 = false; return c }) { update("notification") }
                            if Date() >= nextPoll {
                                nextPoll = Date().addingTimeInterval(pollEvery)
                                do {
                                    try await client.refresh()
                                    update("poll")
                                } catch {
                                    logger.warning("poll: \(error)")
                                    SignalsCommand.logFeed(store, settingsNow, "error", "poll: \(error)")
                                }
                            }
                        }
                    } catch {
                        if let subscription { await unsubscribe(subscription) }
                        server.cancel()
                        _ = try? await server.value
                        throw error
                    }
                    if let subscription { await unsubscribe(subscription) }
                    server.cancel()
                    try await server.value
                }
            } catch {
                logger.error("\(settings.baseURL): \(error)")
                SignalsCommand.logFeed(store, settings, "error", "listen: \(error)")
                throw ExitCode(1)
            }
            logger.info("stopped listening")
        }
    }
}
