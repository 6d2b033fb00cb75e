-- The refresh's cost follows the change, not the history (issue 21). Measured on 1,000,000
-- impressions with 0015: a refresh of 10,000 new impressions took 9 s, because every lookup
-- by request id became a hash join over the whole history (the planner cannot know that
-- run-time partition pruning leaves one or two daily partitions per lookup), and the queue
-- gave no time to prune by. Now:
--   * the queue carries each row's time (an impression's own, or its feedback's: the
--     impression lies at most the attribution window before), so a lookup by request id
--     reaches only the partitions that can hold it;
--   * every lookup by key (of the logs, and of the stored aggregates) is a LATERAL index
--     probe, so its cost follows the change; a fresh definition (its first refresh reads the
--     whole history) keeps scans and hash joins;
--   * the aggregate tables leave a fifth of each page free, so that updating a unit or an
--     impression in place (a HOT update) need not touch the primary-key index.

ALTER TABLE abctl_changed_requests ADD COLUMN at timestamptz;  -- NULL: queued before 0018

-- No DISTINCT: a batch of impressions has distinct request ids, and the refresh groups the
-- queue anyway; sorting on every COPY would cost the write path for nothing.
CREATE OR REPLACE FUNCTION abctl_capture_changed_requests()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO abctl_changed_requests (request_id, at) SELECT request_id, created_at FROM new_rows;
    RETURN NULL;
END;
$$;

ALTER TABLE abctl_agg_impressions SET (fillfactor = 80);
ALTER TABLE abctl_agg_units SET (fillfactor = 80);
ALTER TABLE abctl_agg_cells SET (fillfactor = 80);

-- Per unit and UTC day of a report definition (cut-off lag 0): the unit's impressions that
-- day and their clicks, NDCG and purchases; and per (arm, day) the sums over those units, for
-- Grafana's per-day panel (sql/0019). Letters as in abctl_agg_cells.
CREATE TABLE abctl_agg_unit_days (
    definition_key text        NOT NULL,
    arm            text        NOT NULL,
    unit_id        text        NOT NULL,
    day            timestamptz NOT NULL,
    n              double precision NOT NULL,
    clicks         double precision NOT NULL,
    ndcg_sum       double precision NOT NULL,
    purchases      double precision NOT NULL,
    PRIMARY KEY (definition_key, arm, unit_id, day)
) WITH (fillfactor = 80);

CREATE TABLE abctl_agg_day_cells (
    definition_key text        NOT NULL,
    arm            text        NOT NULL,
    day            timestamptz NOT NULL,
    units          bigint      NOT NULL,
    n double precision NOT NULL, nn double precision NOT NULL,
    c double precision NOT NULL, cc double precision NOT NULL, cn double precision NOT NULL,
    g double precision NOT NULL, gg double precision NOT NULL, gn double precision NOT NULL,
    v double precision NOT NULL,
    PRIMARY KEY (definition_key, arm, day)
) WITH (fillfactor = 80);

GRANT SELECT ON abctl_agg_day_cells, abctl_agg_impressions TO abctl_reader;

-- As in 0015, and a dropped definition's days go with it.
CREATE OR REPLACE FUNCTION abctl_register_metric_definitions(p_experiment text, p_definitions jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    dropped text[];
BEGIN
    SELECT COALESCE(array_agg(d.definition_key), '{}') INTO dropped
    FROM abctl_metric_definitions d
    WHERE d.experiment = p_experiment
      AND d.definition_key NOT IN (
          SELECT abctl_metric_definition_key(p_experiment, w) FROM jsonb_array_elements(p_definitions) w);
    IF cardinality(dropped) > 0 THEN
        DELETE FROM abctl_agg_day_cells WHERE definition_key = ANY (dropped);
        DELETE FROM abctl_agg_unit_days WHERE definition_key = ANY (dropped);
        DELETE FROM abctl_agg_cells WHERE definition_key = ANY (dropped);
        DELETE FROM abctl_agg_units WHERE definition_key = ANY (dropped);
        DELETE FROM abctl_agg_impressions WHERE definition_key = ANY (dropped);
        DELETE FROM abctl_metric_definitions WHERE definition_key = ANY (dropped);
    END IF;
    INSERT INTO abctl_metric_definitions (definition_key, experiment, definition, k, attribution_window, gains, exponential, cutoff_lag)
    SELECT abctl_metric_definition_key(p_experiment, w), p_experiment, w,
           (w ->> 'k')::integer, (w ->> 'attribution_window_seconds')::double precision * interval '1 second',
           w -> 'gains', (w ->> 'exponential')::boolean, (w ->> 'cutoff_lag_seconds')::double precision * interval '1 second'
    FROM jsonb_array_elements(p_definitions) w
    ON CONFLICT (definition_key) DO NOTHING;
END;
$$;

CREATE OR REPLACE FUNCTION abctl_refresh_aggregates(p_now timestamptz DEFAULT now())
RETURNS TABLE (definition_key text, experiment text, impressions bigint, units bigint,
               data_until timestamptz, refreshed_at timestamptz)
LANGUAGE plpgsql
SET jit = off
SET work_mem = '256MB'
SET client_min_messages = warning  -- not the NOTICEs of CREATE TABLE IF NOT EXISTS of its work tables
AS $$
DECLARE
    d          record;
    v_until    timestamptz;
    v_as_of    timestamptz;
    v_touched  bigint;
    v_units    bigint;
    v_fresh    boolean;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('abctl.refresh_aggregates')) THEN
        RETURN;
    END IF;
    v_as_of := clock_timestamp();
    -- Work tables, made once per session (creating and dropping them costs more than a
    -- small refresh) and emptied at commit.
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_changed_at (
        request_id uuid PRIMARY KEY, lo timestamptz, hi timestamptz
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_touched (
        request_id uuid, created_at timestamptz, unit_id text, arm text, allocation_version bigint, item_ids text[]
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_attributed (
        request_id uuid, item_id text, event_type text, value double precision
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_values (
        request_id uuid, created_at timestamptz, unit_id text, arm text, allocation_version bigint,
        precision_k double precision, ndcg_k double precision, mrr double precision, hit_k double precision,
        clicks integer, purchases integer, revenue double precision
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_diffs (
        arm text, unit_id text, allocation_version bigint, created_at timestamptz, is_new boolean,
        precision_k double precision, ndcg_k double precision, mrr double precision, hit_k double precision,
        clicks double precision, purchases double precision, revenue double precision
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_unit_days (
        arm text, unit_id text, day timestamptz,
        old_n double precision, old_c double precision, old_g double precision, old_purchases double precision,
        n double precision, c double precision, g double precision, purchases double precision
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_units (
        arm text, unit_id text, old_period bigint, old_first_at timestamptz, old_n double precision,
        old_p double precision, old_g double precision, old_r double precision, old_h double precision,
        old_c double precision, old_purchases double precision, old_m double precision,
        period bigint, first_at timestamptz, n double precision, p double precision, g double precision,
        r double precision, h double precision, c double precision, purchases double precision, m double precision
    ) ON COMMIT DELETE ROWS;
    DELETE FROM abctl_refresh_changed_at;
    -- Each changed request with the span of its rows' times (a row queued before 0018 has
    -- none, and is looked for at any time).
    WITH consumed AS (
        DELETE FROM abctl_changed_requests RETURNING abctl_changed_requests.request_id, abctl_changed_requests.at
    )
    INSERT INTO abctl_refresh_changed_at
    SELECT c.request_id, min(COALESCE(c.at, '-infinity')), max(COALESCE(c.at, 'infinity'))
    FROM consumed c GROUP BY c.request_id;
    ANALYZE abctl_refresh_changed_at;

    FOR d IN SELECT md.* FROM abctl_metric_definitions md ORDER BY md.definition_key LOOP
        v_until := greatest(p_now - d.cutoff_lag, COALESCE(d.data_until, '-infinity'));
        v_fresh := d.data_until IS NULL;

        -- Touched impressions: those the cut-off passed since the last refresh, and changed
        -- ones (new feedback, backfills) already behind it. A fresh definition reads the
        -- whole history once, with scans and hash joins. Otherwise every lookup of the logs
        -- by request id is a LATERAL subquery: a nested loop over the log's index, reaching
        -- only the daily partitions the request's times can fall in (run-time pruning; an
        -- impression lies at most the attribution window before its feedback), so its cost
        -- follows the change, not the history. Left to itself the planner picks a hash join
        -- over the whole history: it cannot know that pruning leaves one or two partitions.
        DELETE FROM abctl_refresh_touched;
        IF v_fresh THEN
            INSERT INTO abctl_refresh_touched
            SELECT i.request_id, i.created_at, i.unit_id, i.arm, i.allocation_version, i.item_ids
            FROM impressions i
            WHERE i.experiment = d.experiment AND i.created_at < v_until;
        ELSE
            INSERT INTO abctl_refresh_touched
            SELECT i.request_id, i.created_at, i.unit_id, i.arm, i.allocation_version, i.item_ids
            FROM impressions i
            WHERE i.experiment = d.experiment AND i.created_at >= d.data_until AND i.created_at < v_until
            UNION
            SELECT i.request_id, i.created_at, i.unit_id, i.arm, i.allocation_version, i.item_ids
            FROM abctl_refresh_changed_at c
            CROSS JOIN LATERAL (
                SELECT i.* FROM impressions i
                WHERE i.request_id = c.request_id
                  AND i.created_at >= c.lo - d.attribution_window AND i.created_at <= c.hi AND i.created_at < v_until
                  OFFSET 0  -- not pulled up into a join: a lookup per row
            ) i
            -- Outside the lookup, so that only the primary key (request_id, created_at) fits it:
            -- with the experiment inside, a day's partition not yet analysed (as today's is
            -- after midnight) was searched through (experiment, created_at), reading every
            -- impression of the window once per lookup.
            WHERE i.experiment = d.experiment;
        END IF;
        GET DIAGNOSTICS v_touched = ROW_COUNT;
        ANALYZE abctl_refresh_touched;

        -- The feedback inside each touched impression's attribution window.
        DELETE FROM abctl_refresh_attributed;
        IF v_fresh THEN
            INSERT INTO abctl_refresh_attributed
            SELECT t.request_id, f.item_id, f.event_type, f.value
            FROM abctl_refresh_touched t
            JOIN feedback f ON f.request_id = t.request_id
                AND f.created_at >= t.created_at AND f.created_at <= t.created_at + d.attribution_window;
        ELSE
            INSERT INTO abctl_refresh_attributed
            SELECT t.request_id, f.item_id, f.event_type, f.value
            FROM abctl_refresh_touched t
            CROSS JOIN LATERAL (
                SELECT f.item_id, f.event_type, f.value FROM feedback f
                WHERE f.request_id = t.request_id
                  AND f.created_at >= t.created_at AND f.created_at <= t.created_at + d.attribution_window
                  OFFSET 0  -- not pulled up into a join: a lookup per row
            ) f;
        END IF;
        ANALYZE abctl_refresh_attributed;

        -- Their metric values, with 0006's definitions.
        DELETE FROM abctl_refresh_values;
        INSERT INTO abctl_refresh_values
        WITH attributed AS (
            SELECT t.request_id, f.item_id, f.event_type, f.value,
                   array_position(t.item_ids, f.item_id) AS pos,
                   COALESCE((d.gains ->> f.event_type)::double precision, 0) AS r
            FROM abctl_refresh_touched t
            JOIN abctl_refresh_attributed f ON f.request_id = t.request_id
        ),
        judged AS (
            SELECT a.request_id, min(a.pos) AS pos, max(a.r) AS r,
                   CASE WHEN d.exponential THEN power(2, max(a.r)) - 1 ELSE max(a.r) END AS gain
            FROM attributed a
            WHERE a.pos IS NOT NULL
            GROUP BY a.request_id, a.item_id
            HAVING max(a.r) > 0
        ),
        ranked AS (
            SELECT j.*, row_number() OVER (PARTITION BY j.request_id ORDER BY j.gain DESC, j.pos) AS ideal_rank
            FROM judged j
        ),
        per_impression AS (
            SELECT rk.request_id,
                   count(*) FILTER (WHERE rk.pos <= d.k) AS relevant_k,
                   COALESCE(sum(rk.gain / (ln(rk.pos + 1) / ln(2))) FILTER (WHERE rk.pos <= d.k), 0) AS dcg,
                   COALESCE(sum(rk.gain / (ln(rk.ideal_rank + 1) / ln(2))) FILTER (WHERE rk.ideal_rank <= d.k), 0) AS idcg,
                   min(rk.pos) FILTER (WHERE rk.pos <= d.k) AS first_pos
            FROM ranked rk
            GROUP BY rk.request_id
        ),
        events AS (
            SELECT a.request_id,
                   count(*) FILTER (WHERE a.event_type = 'click')::integer AS clicks,
                   count(*) FILTER (WHERE a.event_type = 'purchase')::integer AS purchases,
                   COALESCE(sum(a.value) FILTER (WHERE a.event_type = 'purchase'), 0) AS revenue
            FROM attributed a
            GROUP BY a.request_id
        )
        SELECT t.request_id, t.created_at, t.unit_id, t.arm, t.allocation_version,
               COALESCE(p.relevant_k, 0)::double precision / d.k AS precision_k,
               CASE WHEN p.idcg > 0 THEN p.dcg / p.idcg ELSE 0 END::double precision AS ndcg_k,
               CASE WHEN p.first_pos IS NULL THEN 0 ELSE 1.0 / p.first_pos END::double precision AS mrr,
               CASE WHEN COALESCE(p.relevant_k, 0) > 0 THEN 1 ELSE 0 END::double precision AS hit_k,
               COALESCE(e.clicks, 0) AS clicks, COALESCE(e.purchases, 0) AS purchases,
               COALESCE(e.revenue, 0)::double precision AS revenue
        FROM abctl_refresh_touched t
        LEFT JOIN per_impression p ON p.request_id = t.request_id
        LEFT JOIN events e ON e.request_id = t.request_id;
        GET DIAGNOSTICS v_touched = ROW_COUNT;

        -- Each touched impression's change: counted for the first time (is_new), or the
        -- difference of its recomputed values from the stored ones. The stored rows are looked
        -- up by their keys (LATERAL, as above), never by reading a whole definition's rows.
        DELETE FROM abctl_refresh_diffs;
        INSERT INTO abctl_refresh_diffs
        SELECT x.arm, x.unit_id, x.allocation_version, x.created_at, o.request_id IS NULL,
               x.precision_k - COALESCE(o.precision_k, 0), x.ndcg_k - COALESCE(o.ndcg_k, 0),
               x.mrr - COALESCE(o.mrr, 0), x.hit_k - COALESCE(o.hit_k, 0),
               x.clicks - COALESCE(o.clicks, 0), x.purchases - COALESCE(o.purchases, 0),
               x.revenue - COALESCE(o.revenue, 0)
        FROM abctl_refresh_values x
        LEFT JOIN LATERAL (
            SELECT o.* FROM abctl_agg_impressions o
            WHERE NOT v_fresh
              AND x.created_at < d.data_until  -- one at or past the old cut-off was never counted: no lookup
              AND o.definition_key = d.definition_key AND o.request_id = x.request_id AND o.created_at = x.created_at
            OFFSET 0  -- not pulled up into a join: a lookup per row
        ) o ON true;

        -- Each touched unit's change, the sum of its impressions' changes.
        DELETE FROM abctl_refresh_units;
        INSERT INTO abctl_refresh_units
        WITH delta AS (
            SELECT x.arm, x.unit_id, min(x.allocation_version) AS period, min(x.created_at) AS first_at,
                   count(*) FILTER (WHERE x.is_new)::double precision AS n,
                   sum(x.precision_k) AS precision_sum, sum(x.ndcg_k) AS ndcg_sum, sum(x.mrr) AS mrr_sum,
                   sum(x.hit_k) AS hit_sum, sum(x.clicks) AS clicks, sum(x.purchases) AS purchases,
                   sum(x.revenue) AS revenue
            FROM abctl_refresh_diffs x
            GROUP BY x.arm, x.unit_id
        )
        SELECT dl.arm, dl.unit_id,
               u.period AS old_period, u.first_at AS old_first_at, u.n AS old_n,
               u.precision_sum AS old_p, u.ndcg_sum AS old_g, u.mrr_sum AS old_r, u.hit_sum AS old_h,
               u.clicks AS old_c, u.purchases AS old_purchases, u.revenue AS old_m,
               least(u.period, dl.period) AS period, least(u.first_at, dl.first_at) AS first_at,
               COALESCE(u.n, 0) + dl.n AS n,
               COALESCE(u.precision_sum, 0) + dl.precision_sum AS p,
               COALESCE(u.ndcg_sum, 0) + dl.ndcg_sum AS g,
               COALESCE(u.mrr_sum, 0) + dl.mrr_sum AS r,
               COALESCE(u.hit_sum, 0) + dl.hit_sum AS h,
               COALESCE(u.clicks, 0) + dl.clicks AS c,
               COALESCE(u.purchases, 0) + dl.purchases AS purchases,
               COALESCE(u.revenue, 0) + dl.revenue AS m
        FROM delta dl
        LEFT JOIN LATERAL (
            SELECT u.* FROM abctl_agg_units u
            WHERE NOT v_fresh AND u.definition_key = d.definition_key AND u.arm = dl.arm AND u.unit_id = dl.unit_id
            OFFSET 0  -- not pulled up into a join: a lookup per row
        ) u ON true;
        GET DIAGNOSTICS v_units = ROW_COUNT;

        INSERT INTO abctl_agg_impressions AS o
        SELECT d.definition_key, x.* FROM abctl_refresh_values x
        ON CONFLICT ON CONSTRAINT abctl_agg_impressions_pkey DO UPDATE SET
            precision_k = excluded.precision_k, ndcg_k = excluded.ndcg_k, mrr = excluded.mrr, hit_k = excluded.hit_k,
            clicks = excluded.clicks, purchases = excluded.purchases, revenue = excluded.revenue;

        -- Each touched unit leaves its old cell and enters its new one.
        WITH contributions AS (
            SELECT u.arm, u.period, date_trunc('day', u.first_at, 'UTC') AS day, 1 AS units,
                   u.n, u.n * u.n AS nn,
                   u.p, u.p * u.p AS pp, u.p * u.n AS pn,
                   u.g, u.g * u.g AS gg, u.g * u.n AS gn,
                   u.r, u.r * u.r AS rr, u.r * u.n AS rn,
                   u.h, u.h * u.h AS hh, u.h * u.n AS hn,
                   u.c, u.c * u.c AS cc, u.c * u.n AS cn,
                   CASE WHEN u.purchases > 0 THEN 1.0 ELSE 0.0 END::double precision AS v,
                   CASE WHEN u.purchases > 0 THEN 1.0 ELSE 0.0 END::double precision AS vv,
                   u.m, u.m * u.m AS mm
            FROM abctl_refresh_units u
            UNION ALL
            SELECT u.arm, u.old_period, date_trunc('day', u.old_first_at, 'UTC'), -1,
                   -u.old_n, -(u.old_n * u.old_n),
                   -u.old_p, -(u.old_p * u.old_p), -(u.old_p * u.old_n),
                   -u.old_g, -(u.old_g * u.old_g), -(u.old_g * u.old_n),
                   -u.old_r, -(u.old_r * u.old_r), -(u.old_r * u.old_n),
                   -u.old_h, -(u.old_h * u.old_h), -(u.old_h * u.old_n),
                   -u.old_c, -(u.old_c * u.old_c), -(u.old_c * u.old_n),
                   CASE WHEN u.old_purchases > 0 THEN -1.0 ELSE 0.0 END,
                   CASE WHEN u.old_purchases > 0 THEN -1.0 ELSE 0.0 END,
                   -u.old_m, -(u.old_m * u.old_m)
            FROM abctl_refresh_units u
            WHERE u.old_n IS NOT NULL
        )
        INSERT INTO abctl_agg_cells AS cell
        SELECT d.definition_key, x.arm, x.period, x.day, sum(x.units),
               sum(x.n), sum(x.nn), sum(x.p), sum(x.pp), sum(x.pn), sum(x.g), sum(x.gg), sum(x.gn),
               sum(x.r), sum(x.rr), sum(x.rn), sum(x.h), sum(x.hh), sum(x.hn), sum(x.c), sum(x.cc), sum(x.cn),
               sum(x.v), sum(x.vv), sum(x.m), sum(x.mm)
        FROM contributions x
        GROUP BY x.arm, x.period, x.day
        ON CONFLICT ON CONSTRAINT abctl_agg_cells_pkey DO UPDATE SET
            units = cell.units + excluded.units,
            n = cell.n + excluded.n, nn = cell.nn + excluded.nn,
            p = cell.p + excluded.p, pp = cell.pp + excluded.pp, pn = cell.pn + excluded.pn,
            g = cell.g + excluded.g, gg = cell.gg + excluded.gg, gn = cell.gn + excluded.gn,
            r = cell.r + excluded.r, rr = cell.rr + excluded.rr, rn = cell.rn + excluded.rn,
            h = cell.h + excluded.h, hh = cell.hh + excluded.hh, hn = cell.hn + excluded.hn,
            c = cell.c + excluded.c, cc = cell.cc + excluded.cc, cn = cell.cn + excluded.cn,
            v = cell.v + excluded.v, vv = cell.vv + excluded.vv,
            m = cell.m + excluded.m, mm = cell.mm + excluded.mm;
        DELETE FROM abctl_agg_cells cell WHERE cell.definition_key = d.definition_key AND cell.units = 0;

        INSERT INTO abctl_agg_units AS unit
        SELECT d.definition_key, u.arm, u.unit_id, u.period, u.first_at, u.n, u.p, u.g, u.r, u.h, u.c, u.purchases, u.m
        FROM abctl_refresh_units u
        ON CONFLICT ON CONSTRAINT abctl_agg_units_pkey DO UPDATE SET
            period = excluded.period, first_at = excluded.first_at, n = excluded.n,
            precision_sum = excluded.precision_sum, ndcg_sum = excluded.ndcg_sum, mrr_sum = excluded.mrr_sum,
            hit_sum = excluded.hit_sum, clicks = excluded.clicks, purchases = excluded.purchases, revenue = excluded.revenue;

        -- The report's definitions (lag 0) also keep each unit's UTC days, for Grafana's
        -- per-day panel (abctl_dashboard_daily_arm_metrics): a unit seen on two days counts
        -- on each, with that day's impressions only.
        IF d.cutoff_lag = interval '0' THEN
            DELETE FROM abctl_refresh_unit_days;
            INSERT INTO abctl_refresh_unit_days
            WITH delta AS (
                SELECT x.arm, x.unit_id, date_trunc('day', x.created_at, 'UTC') AS day,
                       count(*) FILTER (WHERE x.is_new)::double precision AS n,
                       sum(x.clicks) AS c, sum(x.ndcg_k) AS g, sum(x.purchases) AS purchases
                FROM abctl_refresh_diffs x
                GROUP BY 1, 2, 3
            )
            SELECT dl.arm, dl.unit_id, dl.day, u.n, u.clicks, u.ndcg_sum, u.purchases,
                   COALESCE(u.n, 0) + dl.n, COALESCE(u.clicks, 0) + dl.c,
                   COALESCE(u.ndcg_sum, 0) + dl.g, COALESCE(u.purchases, 0) + dl.purchases
            FROM delta dl
            LEFT JOIN LATERAL (
                SELECT u.* FROM abctl_agg_unit_days u
                WHERE NOT v_fresh AND u.definition_key = d.definition_key
                  AND u.arm = dl.arm AND u.unit_id = dl.unit_id AND u.day = dl.day
                OFFSET 0  -- not pulled up into a join: a lookup per row
            ) u ON true;

            WITH contributions AS (
                SELECT u.arm, u.day, 1 AS units, u.n, u.n * u.n AS nn, u.c, u.c * u.c AS cc, u.c * u.n AS cn,
                       u.g, u.g * u.g AS gg, u.g * u.n AS gn,
                       CASE WHEN u.purchases > 0 THEN 1.0 ELSE 0.0 END::double precision AS v
                FROM abctl_refresh_unit_days u
                UNION ALL
                SELECT u.arm, u.day, -1, -u.old_n, -(u.old_n * u.old_n), -u.old_c, -(u.old_c * u.old_c), -(u.old_c * u.old_n),
                       -u.old_g, -(u.old_g * u.old_g), -(u.old_g * u.old_n),
                       CASE WHEN u.old_purchases > 0 THEN -1.0 ELSE 0.0 END
                FROM abctl_refresh_unit_days u
                WHERE u.old_n IS NOT NULL
            )
            INSERT INTO abctl_agg_day_cells AS cell
            SELECT d.definition_key, x.arm, x.day, sum(x.units), sum(x.n), sum(x.nn), sum(x.c), sum(x.cc), sum(x.cn),
                   sum(x.g), sum(x.gg), sum(x.gn), sum(x.v)
            FROM contributions x
            GROUP BY x.arm, x.day
            ON CONFLICT ON CONSTRAINT abctl_agg_day_cells_pkey DO UPDATE SET
                units = cell.units + excluded.units, n = cell.n + excluded.n, nn = cell.nn + excluded.nn,
                c = cell.c + excluded.c, cc = cell.cc + excluded.cc, cn = cell.cn + excluded.cn,
                g = cell.g + excluded.g, gg = cell.gg + excluded.gg, gn = cell.gn + excluded.gn,
                v = cell.v + excluded.v;
            DELETE FROM abctl_agg_day_cells cell WHERE cell.definition_key = d.definition_key AND cell.units = 0;

            INSERT INTO abctl_agg_unit_days AS unit_day
            SELECT d.definition_key, u.arm, u.unit_id, u.day, u.n, u.c, u.g, u.purchases FROM abctl_refresh_unit_days u
            ON CONFLICT ON CONSTRAINT abctl_agg_unit_days_pkey DO UPDATE SET
                n = excluded.n, clicks = excluded.clicks, ndcg_sum = excluded.ndcg_sum, purchases = excluded.purchases;
        END IF;

        UPDATE abctl_metric_definitions md SET data_until = v_until, refreshed_at = v_as_of
        WHERE md.definition_key = d.definition_key;

        definition_key := d.definition_key;
        experiment := d.experiment;
        impressions := v_touched;
        units := v_units;
        data_until := v_until;
        refreshed_at := v_as_of;
        RETURN NEXT;
    END LOOP;
END;
$$;
