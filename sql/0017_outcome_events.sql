-- Outcome events (issue 20): events keyed by unit that answer no decision, such as an
-- order, a signup or a session start, sent through POST /v1/outcomes or `abctl import
-- outcomes`. Like feedback, a client event id makes retries idempotent: a retry of the same
-- event carries the same id and time, so (event_id, created_at) is the key. `value` is
-- NULL when the event carries none (a signup); an order carries its amount.
CREATE TABLE outcome_events (
    event_id        text        NOT NULL,
    unit_id         text        NOT NULL,
    event_type      text        NOT NULL CHECK (event_type ~ '^[a-z][a-z0-9_]{0,62}$'),
    value           double precision,
    created_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, created_at)
) PARTITION BY RANGE (created_at);

-- Metrics read one type's events of the units exposed to an experiment, by time.
CREATE INDEX outcome_events_by_type_unit ON outcome_events (event_type, unit_id, created_at);
CREATE INDEX outcome_events_by_time ON outcome_events (created_at);

CREATE TABLE outcome_events_default PARTITION OF outcome_events DEFAULT;

-- 0002's partition maintenance, now for outcome_events as well (the body is 0002's; only
-- the list of tables it accepts grows).
CREATE OR REPLACE FUNCTION abctl_ensure_partitions(parent text, from_day date, days integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    day         date;
    child       text;
    low         timestamptz;
    high        timestamptz;
    created     integer := 0;
BEGIN
    IF parent NOT IN ('impressions', 'feedback', 'outcome_events') THEN
        RAISE EXCEPTION 'abctl_ensure_partitions: unknown table %', parent;
    END IF;
    FOR i IN 0 .. days - 1 LOOP
        day := from_day + i;
        child := format('%s_%s', parent, to_char(day, 'YYYYMMDD'));
        low := day::timestamp AT TIME ZONE 'UTC';   -- UTC midnight, whatever the session's TimeZone
        high := (day + 1)::timestamp AT TIME ZONE 'UTC';
        CONTINUE WHEN to_regclass(child) IS NOT NULL;
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
        EXECUTE format(
            'WITH moved AS (DELETE FROM %I WHERE created_at >= %L AND created_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
            parent || '_default', low, high, child);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
            parent, child, low, high);
        created := created + 1;
    END LOOP;
    RETURN created;
END;
$$;

SELECT abctl_ensure_partitions('outcome_events', (now() AT TIME ZONE 'UTC')::date - 1, 16);

GRANT SELECT ON outcome_events TO abctl_reader;

-- ─── Declared metrics on outcome events (docs/metrics.md) ────────────────────────────────
--
-- A declared metric reads one *source*: an outcome event type and a window measured from
-- each unit's first exposure. A unit is exposed to an arm by its impressions in the
-- experiment; as in 0006's report cells, its period is the lowest allocation version of
-- those impressions and its entry day the UTC day of the first. Per (source, arm, unit)
-- the evaluator needs two numbers: n, the events inside the window, and total, the sum of
-- their values (NULL counts 0). Count, sum, any, mean, ratio and capping are all functions
-- of these, applied when the report sums units into cells (Storage/Evaluation/
-- OutcomeMetricEvaluator.swift); the full report (--full) and the maintained one run the same
-- cell query, over this function's rows or over the maintained rows of
-- abctl_outcome_metric_units.

-- n and total per source (p_types[i], window [p_starts[i], p_ends[i]) seconds; NULL end =
-- open) for every unit exposed in [p_since, p_until); only the units in p_units when given.
CREATE FUNCTION abctl_outcome_unit_values(
    p_experiment text, p_types text[], p_starts double precision[], p_ends double precision[],
    p_since timestamptz, p_until timestamptz, p_units text[]
)
RETURNS TABLE (source integer, arm text, unit_id text, period bigint, day timestamptz, n double precision, total double precision)
LANGUAGE sql STABLE
SET jit = off
SET work_mem = '256MB'
AS $$
    WITH exposures AS (
        SELECT i.arm, i.unit_id, min(i.allocation_version) AS period, min(i.created_at) AS first_seen
        FROM impressions i
        WHERE i.experiment = p_experiment AND i.created_at >= p_since AND i.created_at < p_until
          AND (p_units IS NULL OR i.unit_id = ANY (p_units))
        GROUP BY i.arm, i.unit_id
    ),
    sources AS (
        SELECT s.event_type, s.start_seconds, s.end_seconds, s.source::integer AS source
        FROM unnest(p_types, p_starts, p_ends) WITH ORDINALITY AS s (event_type, start_seconds, end_seconds, source)
    ),
    hits AS (
        SELECT x.arm, x.unit_id, s.source, count(*)::double precision AS n, sum(COALESCE(o.value, 0)) AS total
        FROM exposures x
        JOIN outcome_events o ON o.unit_id = x.unit_id AND o.event_type = ANY (p_types)
        JOIN sources s ON s.event_type = o.event_type
             AND o.created_at >= x.first_seen + s.start_seconds * interval '1 second'
             AND (s.end_seconds IS NULL OR o.created_at < x.first_seen + s.end_seconds * interval '1 second')
        WHERE p_units IS NULL OR o.unit_id = ANY (p_units)
        GROUP BY x.arm, x.unit_id, s.source
    )
    SELECT s.source, x.arm, x.unit_id, x.period, date_trunc('day', x.first_seen, 'UTC'),
           COALESCE(h.n, 0), COALESCE(h.total, 0)
    FROM exposures x
    CROSS JOIN sources s
    LEFT JOIN hits h ON h.arm = x.arm AND h.unit_id = x.unit_id AND h.source = s.source
$$;

-- The maintained sources: one row per (experiment, source document), keyed as 0015 keys its
-- definitions (md5 of experiment and canonical document), so a spec change that alters a
-- source's event type or window starts it over and never mixes the two.
CREATE TABLE abctl_outcome_metric_sources (
    source_key     text        PRIMARY KEY,
    experiment     text        NOT NULL,
    definition     jsonb       NOT NULL,
    event_type     text,                   -- an event source's type, or
    sql            text,                   -- a SQL source's query (refreshed by Storage/OutcomeMetrics, not here)
    start_seconds  double precision NOT NULL,
    end_seconds    double precision,
    refreshed_at   timestamptz             -- NULL until its first refresh reads the history
);

-- Per (source, arm, unit): n and total, with the unit's period and entry day.
CREATE TABLE abctl_outcome_metric_units (
    source_key  text        NOT NULL REFERENCES abctl_outcome_metric_sources ON DELETE CASCADE,
    arm         text        NOT NULL,
    unit_id     text        NOT NULL,
    period      bigint      NOT NULL,
    day         timestamptz NOT NULL,
    n           double precision NOT NULL,
    total       double precision NOT NULL,
    PRIMARY KEY (source_key, arm, unit_id)
);

-- The change queue: units with new outcome events or new impressions since the last
-- refresh (statement-level triggers, one INSERT per statement or COPY, as 0015's).
CREATE TABLE abctl_changed_outcome_units (
    unit_id text NOT NULL
);

CREATE FUNCTION abctl_capture_changed_outcome_units()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    -- Only while some source is maintained: otherwise nothing would ever consume the rows.
    IF EXISTS (SELECT 1 FROM abctl_outcome_metric_sources) THEN
        INSERT INTO abctl_changed_outcome_units (unit_id) SELECT DISTINCT unit_id FROM new_rows;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER abctl_capture_outcome_units AFTER INSERT ON outcome_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION abctl_capture_changed_outcome_units();
CREATE TRIGGER abctl_capture_impression_units AFTER INSERT ON impressions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION abctl_capture_changed_outcome_units();

-- Makes `sources` (a jsonb list of {event_type, start_seconds, end_seconds}) the maintained
-- sources of `p_experiment`: new ones are added empty, others of the experiment dropped.
CREATE FUNCTION abctl_register_outcome_metric_sources(p_experiment text, p_sources jsonb)
RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM abctl_outcome_metric_sources d
    WHERE d.experiment = p_experiment
      AND d.source_key NOT IN (
          SELECT md5(p_experiment || ':' || s::text) FROM jsonb_array_elements(p_sources) s
      );
    INSERT INTO abctl_outcome_metric_sources (source_key, experiment, definition, event_type, sql, start_seconds, end_seconds)
    SELECT md5(p_experiment || ':' || s::text), p_experiment, s, s->>'event_type', s->>'sql',
           (s->>'start_seconds')::double precision, (s->>'end_seconds')::double precision
    FROM jsonb_array_elements(p_sources) s
    ON CONFLICT (source_key) DO NOTHING;
$$;

-- Brings every maintained source up to date: a new source reads the history once; the
-- others recompute the units in the change queue. Returns per source the units rewritten.
CREATE FUNCTION abctl_refresh_outcome_metrics(p_now timestamptz DEFAULT now())
RETURNS TABLE (source_key text, experiment text, units bigint, refreshed_at timestamptz)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
    touched text[];
    s       record;
    written bigint;
BEGIN
    WITH consumed AS (DELETE FROM abctl_changed_outcome_units RETURNING unit_id)
    SELECT array_agg(DISTINCT c.unit_id) INTO touched FROM consumed c;
    FOR s IN SELECT * FROM abctl_outcome_metric_sources d WHERE d.sql IS NULL ORDER BY d.source_key LOOP
        IF s.refreshed_at IS NULL THEN
            DELETE FROM abctl_outcome_metric_units u WHERE u.source_key = s.source_key;
            INSERT INTO abctl_outcome_metric_units (source_key, arm, unit_id, period, day, n, total)
            SELECT s.source_key, v.arm, v.unit_id, v.period, v.day, v.n, v.total
            FROM abctl_outcome_unit_values(s.experiment, ARRAY[s.event_type], ARRAY[s.start_seconds], ARRAY[s.end_seconds],
                                           '-infinity', 'infinity', NULL) v;
        ELSIF touched IS NOT NULL THEN
            DELETE FROM abctl_outcome_metric_units u WHERE u.source_key = s.source_key AND u.unit_id = ANY (touched);
            INSERT INTO abctl_outcome_metric_units (source_key, arm, unit_id, period, day, n, total)
            SELECT s.source_key, v.arm, v.unit_id, v.period, v.day, v.n, v.total
            FROM abctl_outcome_unit_values(s.experiment, ARRAY[s.event_type], ARRAY[s.start_seconds], ARRAY[s.end_seconds],
                                           '-infinity', 'infinity', touched) v;
        ELSE
            UPDATE abctl_outcome_metric_sources d SET refreshed_at = p_now WHERE d.source_key = s.source_key;
            source_key := s.source_key; experiment := s.experiment; units := 0; refreshed_at := p_now;
            RETURN NEXT;
            CONTINUE;
        END IF;
        GET DIAGNOSTICS written = ROW_COUNT;
        UPDATE abctl_outcome_metric_sources d SET refreshed_at = p_now WHERE d.source_key = s.source_key;
        source_key := s.source_key; experiment := s.experiment; units := written; refreshed_at := p_now;
        RETURN NEXT;
    END LOOP;
END;
$$;

GRANT SELECT ON abctl_outcome_metric_sources, abctl_outcome_metric_units TO abctl_reader;

-- For Grafana: per maintained source (event type or SQL query, and window) and arm, the
-- exposed units, their events in the window, the events' total value, the total per unit
-- and the share of units with at least one event — the sums every declared metric on that
-- source is built from (the metrics themselves, with caps and ratios, are in the report).
CREATE VIEW abctl_dashboard_outcome_sources AS
SELECT s.experiment,
       COALESCE(s.event_type, 'sql') AS source,
       s.start_seconds,
       s.end_seconds,
       u.arm,
       count(*) AS units,
       sum(u.n) AS events,
       sum(u.total) AS total,
       avg(u.total) AS total_per_unit,
       avg(CASE WHEN u.n > 0 THEN 1.0 ELSE 0.0 END) AS share_with_event,
       s.refreshed_at
FROM abctl_outcome_metric_sources s
JOIN abctl_outcome_metric_units u ON u.source_key = s.source_key
GROUP BY s.source_key, s.experiment, s.event_type, s.start_seconds, s.end_seconds, s.refreshed_at, u.arm;

GRANT SELECT ON abctl_dashboard_outcome_sources TO abctl_reader;
