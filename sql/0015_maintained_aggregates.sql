-- Maintained aggregates (issue 21): the evaluator's per-unit sufficient statistics kept in
-- tables and brought up to date from what changed, so that reports, dashboards and the
-- allocator stop re-reading every impression and every piece of feedback ever logged.
-- docs/architecture.md, "Maintained aggregates", explains the design; in short:
--
--   impressions, feedback ──trigger──▶ abctl_changed_requests (request ids, in commit order)
--   abctl_refresh_aggregates(now): under one advisory lock, consume the change queue, and for
--     each metric definition recompute the touched impressions (changed ones, and those whose
--     attribution window closed since the last refresh), add each impression's change to its
--     unit, and each unit's change to its (arm, period, day) cell.
--
-- Cut-off: a definition counts the impressions shown before data_until = refresh time −
-- its cut-off lag. The report's definitions have lag 0 (every impression logged so far, as
-- `abctl report` has always counted them; feedback arriving later updates them); the
-- allocator's has lag = attribution window (only impressions whose window has closed, as
-- the allocator has always done). The maintained cells of a definition equal
-- abctl_report_cells (0006) over [-infinity, data_until) with no segment and no covariate.

-- The change queue. Triggers on both logs record the request id of every inserted row,
-- whatever wrote it (the server, a user's COPY, a backfill of old dates). A refresh consumes
-- the rows its snapshot sees (DELETE … RETURNING); a row committed later stays for the next
-- refresh, so the queue, not an id or a timestamp, is the watermark.
CREATE TABLE abctl_changed_requests (
    request_id uuid NOT NULL
);

CREATE FUNCTION abctl_capture_changed_requests()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO abctl_changed_requests (request_id) SELECT DISTINCT request_id FROM new_rows;
    RETURN NULL;
END;
$$;

-- Statement-level with a transition table: one INSERT per statement or COPY, not per row.
CREATE TRIGGER abctl_capture_impressions AFTER INSERT ON impressions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION abctl_capture_changed_requests();
CREATE TRIGGER abctl_capture_feedback AFTER INSERT ON feedback
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION abctl_capture_changed_requests();

-- One metric definition of one experiment: everything that turns logs into metric values
-- (K, attribution window, gains, linear or exponential gain, the cut-off lag; issue 20's
-- user-defined metrics add their own fields to the document). The key is a hash of experiment and document, so a
-- spec change that alters any of them starts a new set of aggregates and never mixes the two.
CREATE TABLE abctl_metric_definitions (
    definition_key     text        PRIMARY KEY,
    experiment         text        NOT NULL,
    definition         jsonb       NOT NULL,
    k                  integer     NOT NULL CHECK (k >= 1),
    attribution_window interval    NOT NULL,
    gains              jsonb       NOT NULL,
    exponential        boolean     NOT NULL,
    cutoff_lag         interval    NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    data_until         timestamptz,  -- impressions shown before this are counted, with their whole window
    refreshed_at       timestamptz   -- every row committed before this time is counted
);
CREATE INDEX abctl_metric_definitions_by_experiment ON abctl_metric_definitions (experiment);

-- The key of a definition document ({"k", "attribution_window_seconds", "gains", "exponential",
-- "cutoff_lag_seconds"}).
-- jsonb's text form is canonical (keys sorted, no spaces), so equal documents hash equally.
CREATE FUNCTION abctl_metric_definition_key(p_experiment text, p_definition jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT md5(jsonb_build_array(p_experiment, p_definition)::text)
$$;

-- Per impression of a definition: the values of 0006's abctl_impression_metrics_segmented.
CREATE TABLE abctl_agg_impressions (
    definition_key     text        NOT NULL,
    request_id         uuid        NOT NULL,
    created_at         timestamptz NOT NULL,
    unit_id            text        NOT NULL,
    arm                text        NOT NULL,
    allocation_version bigint      NOT NULL,
    precision_k        double precision NOT NULL,
    ndcg_k             double precision NOT NULL,
    mrr                double precision NOT NULL,
    hit_k              double precision NOT NULL,
    clicks             integer     NOT NULL,
    purchases          integer     NOT NULL,
    revenue            double precision NOT NULL,
    PRIMARY KEY (definition_key, request_id, created_at)
);

-- Per unit (and arm) of a definition: sums over its counted impressions, as 0006's per_unit.
CREATE TABLE abctl_agg_units (
    definition_key  text        NOT NULL,
    arm             text        NOT NULL,
    unit_id         text        NOT NULL,
    period          bigint      NOT NULL,   -- min allocation version of its impressions
    first_at        timestamptz NOT NULL,   -- its first impression
    n               double precision NOT NULL,
    precision_sum   double precision NOT NULL,
    ndcg_sum        double precision NOT NULL,
    mrr_sum         double precision NOT NULL,
    hit_sum         double precision NOT NULL,
    clicks          double precision NOT NULL,
    purchases       double precision NOT NULL,
    revenue         double precision NOT NULL,
    PRIMARY KEY (definition_key, arm, unit_id)
);

-- Per (arm, period, entry day) of a definition: the sums over units of every metric, as
-- 0006's cells. Letters: n impressions, p precision, g NDCG, r MRR, h hit, c clicks,
-- v converted, m revenue; doubled = sum of squares, with n = cross sum with impressions.
CREATE TABLE abctl_agg_cells (
    definition_key text        NOT NULL,
    arm            text        NOT NULL,
    period         bigint      NOT NULL,
    day            timestamptz NOT NULL,
    units          bigint      NOT NULL,
    n double precision NOT NULL, nn double precision NOT NULL,
    p double precision NOT NULL, pp double precision NOT NULL, pn double precision NOT NULL,
    g double precision NOT NULL, gg double precision NOT NULL, gn double precision NOT NULL,
    r double precision NOT NULL, rr double precision NOT NULL, rn double precision NOT NULL,
    h double precision NOT NULL, hh double precision NOT NULL, hn double precision NOT NULL,
    c double precision NOT NULL, cc double precision NOT NULL, cn double precision NOT NULL,
    v double precision NOT NULL, vv double precision NOT NULL,
    m double precision NOT NULL, mm double precision NOT NULL,
    PRIMARY KEY (definition_key, arm, period, day)
);

-- Makes p_definitions (a jsonb array of definition documents) the maintained definitions of
-- p_experiment: new ones start empty (their first refresh reads the whole history); ones no
-- longer wanted are dropped with their aggregates (a definition that comes back starts over,
-- since the changes of the meantime were not applied to it).
CREATE FUNCTION abctl_register_metric_definitions(p_experiment text, p_definitions jsonb)
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

-- The refresh. Returns one row per definition it brought up to date; no row at all when
-- another session holds the refresh lock (that session is refreshing). READ COMMITTED is
-- enough: the queue is consumed by the first statement, and every later statement reads a
-- snapshot at least as new, so a change is either consumed and seen, or left in the queue;
-- recomputing an impression twice is harmless (its row is replaced, and its unit and cell
-- receive the difference).
CREATE FUNCTION abctl_refresh_aggregates(p_now timestamptz DEFAULT now())
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
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('abctl.refresh_aggregates')) THEN
        RETURN;
    END IF;
    v_as_of := clock_timestamp();
    -- Work tables, made once per session (creating and dropping them costs more than a
    -- small refresh) and emptied at commit.
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_changed (request_id uuid PRIMARY KEY) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_touched (
        request_id uuid, created_at timestamptz, unit_id text, arm text, allocation_version bigint, item_ids text[]
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_values (
        request_id uuid, created_at timestamptz, unit_id text, arm text, allocation_version bigint,
        precision_k double precision, ndcg_k double precision, mrr double precision, hit_k double precision,
        clicks integer, purchases integer, revenue double precision
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS abctl_refresh_units (
        arm text, unit_id text, old_period bigint, old_first_at timestamptz, old_n double precision,
        old_p double precision, old_g double precision, old_r double precision, old_h double precision,
        old_c double precision, old_purchases double precision, old_m double precision,
        period bigint, first_at timestamptz, n double precision, p double precision, g double precision,
        r double precision, h double precision, c double precision, purchases double precision, m double precision
    ) ON COMMIT DELETE ROWS;
    DELETE FROM abctl_refresh_changed;
    WITH consumed AS (DELETE FROM abctl_changed_requests RETURNING abctl_changed_requests.request_id)
    INSERT INTO abctl_refresh_changed SELECT DISTINCT c.request_id FROM consumed c;
    GET DIAGNOSTICS v_touched = ROW_COUNT;
    IF v_touched > 10000 THEN ANALYZE abctl_refresh_changed; END IF;

    FOR d IN SELECT md.* FROM abctl_metric_definitions md ORDER BY md.definition_key LOOP
        v_until := greatest(p_now - d.cutoff_lag, COALESCE(d.data_until, '-infinity'));

        -- Touched impressions: those the cut-off passed since the last refresh, and changed
        -- ones (new feedback, backfills) already behind it.
        DELETE FROM abctl_refresh_touched;
        INSERT INTO abctl_refresh_touched
        SELECT i.request_id, i.created_at, i.unit_id, i.arm, i.allocation_version, i.item_ids
        FROM impressions i
        WHERE i.experiment = d.experiment AND i.created_at >= COALESCE(d.data_until, '-infinity') AND i.created_at < v_until
        UNION
        SELECT i.request_id, i.created_at, i.unit_id, i.arm, i.allocation_version, i.item_ids
        FROM abctl_refresh_changed c
        JOIN impressions i ON i.request_id = c.request_id
        WHERE i.experiment = d.experiment AND i.created_at < v_until;
        GET DIAGNOSTICS v_touched = ROW_COUNT;
        IF v_touched > 10000 THEN ANALYZE abctl_refresh_touched; END IF;

        -- Their metric values, with 0006's definitions.
        DELETE FROM abctl_refresh_values;
        INSERT INTO abctl_refresh_values
        WITH attributed AS (
            SELECT t.request_id, f.item_id, f.event_type, f.value,
                   array_position(t.item_ids, f.item_id) AS pos,
                   COALESCE((d.gains ->> f.event_type)::double precision, 0) AS r
            FROM abctl_refresh_touched t
            JOIN feedback f ON f.request_id = t.request_id
                AND f.created_at >= t.created_at AND f.created_at <= t.created_at + d.attribution_window
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

        -- Each touched unit's change: impressions counted for the first time add to n; a
        -- recomputed one adds the difference of its values.
        DELETE FROM abctl_refresh_units;
        INSERT INTO abctl_refresh_units
        WITH delta AS (
            SELECT x.arm, x.unit_id, min(x.allocation_version) AS period, min(x.created_at) AS first_at,
                   count(*) FILTER (WHERE o.request_id IS NULL)::double precision AS n,
                   sum(x.precision_k - COALESCE(o.precision_k, 0)) AS precision_sum,
                   sum(x.ndcg_k - COALESCE(o.ndcg_k, 0)) AS ndcg_sum,
                   sum(x.mrr - COALESCE(o.mrr, 0)) AS mrr_sum,
                   sum(x.hit_k - COALESCE(o.hit_k, 0)) AS hit_sum,
                   sum(x.clicks - COALESCE(o.clicks, 0))::double precision AS clicks,
                   sum(x.purchases - COALESCE(o.purchases, 0))::double precision AS purchases,
                   sum(x.revenue - COALESCE(o.revenue, 0)) AS revenue
            FROM abctl_refresh_values x
            LEFT JOIN abctl_agg_impressions o
                ON o.definition_key = d.definition_key AND o.request_id = x.request_id AND o.created_at = x.created_at
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
        LEFT JOIN abctl_agg_units u ON u.definition_key = d.definition_key AND u.arm = dl.arm AND u.unit_id = dl.unit_id;
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

-- A definition's cells in abctl_report_cells' shape (no segment, no covariate), for
-- `abctl report`, /dashboard and the allocator.
CREATE FUNCTION abctl_maintained_report_cells(p_definition_key text)
RETURNS TABLE (
    arm text, period bigint, segment text, day timestamptz, metric text, units bigint,
    sum double precision, sum_squares double precision,
    denominator_sum double precision, denominator_sum_squares double precision, cross_sum double precision,
    covariate_sum double precision, covariate_sum_squares double precision, covariate_cross_sum double precision
)
LANGUAGE sql STABLE AS $$
    SELECT c.arm, c.period, NULL::text, c.day, v.metric, c.units, v.x, v.xx, v.y, v.yy, v.xy,
           NULL::double precision, NULL::double precision, NULL::double precision
    FROM abctl_agg_cells c
    CROSS JOIN LATERAL (VALUES
        ('precision@k', c.p, c.pp, c.n, c.nn, c.pn),
        ('ndcg@k', c.g, c.gg, c.n, c.nn, c.gn),
        ('mrr', c.r, c.rr, c.n, c.nn, c.rn),
        ('hit@k', c.h, c.hh, c.n, c.nn, c.hn),
        ('ctr', c.c, c.cc, c.n, c.nn, c.cn),
        ('conversion', c.v, c.vv, NULL, NULL, NULL),
        ('revenue_per_unit', c.m, c.mm, NULL, NULL, NULL)
    ) AS v(metric, x, xx, y, yy, xy)
    WHERE c.definition_key = p_definition_key
$$;

GRANT SELECT ON abctl_metric_definitions, abctl_agg_cells, abctl_agg_units TO abctl_reader;
