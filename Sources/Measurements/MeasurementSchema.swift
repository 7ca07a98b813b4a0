/// The measurement store's statements (its tables are created by `DatabaseSchema`).
enum MeasurementSchema {
    /// On a (series, time) already present: nothing, or (a revised forecast) the new value.
    static func onConflict(replacing: Bool) -> String {
        replacing ? "ON CONFLICT (series, time) DO UPDATE SET value = excluded.value, unit = excluded.unit, source = excluded.source, "
            + "received_at = excluded.received_at" : "ON CONFLICT (series, time) DO NOTHING"
    }
    static let insertFeedEvent = "INSERT INTO feed_events (at, source, series, kind, message) VALUES (?, ?, ?, ?, ?)"
    /// Per series with values: the newest, the count, the last event; then series that
    /// only have events (a device that never answered), with an empty time and count 0.
    static let feedStatus = """
        SELECT * FROM (
          SELECT m.series, m.time, m.value, m.unit, m.source, m.received_at, c.n,
            (SELECT e.message FROM feed_events e WHERE e.series = m.series ORDER BY e.id DESC LIMIT 1) AS last_event,
            (SELECT e.at FROM feed_events e WHERE e.series = m.series ORDER BY e.id DESC LIMIT 1) AS last_event_at
          FROM measurements m JOIN (SELECT series, MAX(time) AS t, COUNT(*) AS n FROM measurements GROUP BY series) c
            ON c.series = m.series AND c.t = m.time
          UNION ALL
          SELECT e.series, '' AS time, CAST(0 AS DOUBLE PRECISION) AS value, '' AS unit, e.source, '' AS received_at,
            CAST(0 AS BIGINT) AS n, e.message AS last_event, e.at AS last_event_at
          FROM feed_events e
          WHERE e.id IN (SELECT MAX(id) FROM feed_events GROUP BY series) AND e.series <> '*'
            AND NOT EXISTS (SELECT 1 FROM measurements m WHERE m.series = e.series)
        ) status ORDER BY series
        """
}
