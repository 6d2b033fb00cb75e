-- The report's SQL (issue 7, second part): the statistics of 0003 broken down further, so
-- `abctl report` can analyse bandit experiments per allocation period, break results down
-- by a segment of the impression context, adjust with CUPED and draw lift over time, all
-- from aggregates computed here. 0003's functions are left as they are (migrations are
-- checksummed); these are new functions beside them.

-- abctl_impression_metrics (0003) plus the value of one context key of the impression
-- (p_segment, e.g. 'device'; NULL gives NULL). Same definitions as 0003, planned for scale:
-- an item's position is array_position over the impression's list (its first position, as
-- 0003's min over the unnested list) for attributed feedback only, so only the impressions
-- that got feedback are touched beyond one scan, and no list is ever unnested.
CREATE FUNCTION abctl_impression_metrics_segmented(
    p_experiment text, p_k integer, p_window interval, p_gains jsonb, p_exponential boolean,
    p_since timestamptz, p_until timestamptz, p_segment text
)
RETURNS TABLE (
    request_id uuid, unit_id text, arm text, allocation_version bigint, created_at timestamptz, segment text,
    precision_k double precision, ndcg_k double precision, mrr double precision, hit_k double precision,
    clicks integer, purchases integer, revenue double precision
)
LANGUAGE sql STABLE AS $$
    WITH attributed AS (
        SELECT f.request_id, f.item_id, f.event_type, f.value,
               array_position(i.item_ids, f.item_id) AS pos,
               COALESCE((p_gains ->> f.event_type)::double precision, 0) AS r
        FROM feedback f
        JOIN impressions i ON i.request_id = f.request_id
            AND i.experiment = p_experiment AND i.created_at >= p_since AND i.created_at < p_until
            AND f.created_at >= i.created_at AND f.created_at <= i.created_at + p_window
    ),
    judged AS (  -- relevant items of the list, at their first position, with their grade
        SELECT a.request_id, min(a.pos) AS pos, max(a.r) AS r,
               CASE WHEN p_exponential THEN power(2, max(a.r)) - 1 ELSE max(a.r) END AS gain
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
        SELECT r.request_id,
               count(*) FILTER (WHERE r.pos <= p_k) AS relevant_k,
               COALESCE(sum(r.gain / (ln(r.pos + 1) / ln(2))) FILTER (WHERE r.pos <= p_k), 0) AS dcg,
               COALESCE(sum(r.gain / (ln(r.ideal_rank + 1) / ln(2))) FILTER (WHERE r.ideal_rank <= p_k), 0) AS idcg,
               min(r.pos) FILTER (WHERE r.pos <= p_k) AS first_pos
        FROM ranked r
        GROUP BY r.request_id
    ),
    events AS (
        SELECT a.request_id,
               count(*) FILTER (WHERE a.event_type = 'click')::integer AS clicks,
               count(*) FILTER (WHERE a.event_type = 'purchase')::integer AS purchases,
               COALESCE(sum(a.value) FILTER (WHERE a.event_type = 'purchase'), 0) AS revenue
        FROM attributed a
        GROUP BY a.request_id
    )
    SELECT i.request_id, i.unit_id, i.arm, i.allocation_version, i.created_at,
           CASE WHEN p_segment IS NULL THEN NULL ELSE i.context ->> p_segment END,
           COALESCE(p.relevant_k, 0)::double precision / p_k,
           CASE WHEN p.idcg > 0 THEN p.dcg / p.idcg ELSE 0 END,
           CASE WHEN p.first_pos IS NULL THEN 0 ELSE 1.0 / p.first_pos END,
           CASE WHEN COALESCE(p.relevant_k, 0) > 0 THEN 1 ELSE 0 END,
           COALESCE(e.clicks, 0), COALESCE(e.purchases, 0), COALESCE(e.revenue, 0)
    FROM impressions i
    LEFT JOIN per_impression p ON p.request_id = i.request_id
    LEFT JOIN events e ON e.request_id = i.request_id
    WHERE i.experiment = p_experiment AND i.created_at >= p_since AND i.created_at < p_until
$$;

-- Per (arm, period, segment, day, metric) sufficient statistics over units, as 0003's
-- abctl_arm_statistics, with:
--   segment: the context value of p_segment on the unit's first impression in the range
--            (a unit stays in one segment, so segments are disjoint sets of units);
--   day:     the UTC day of the unit's first impression in the range (its entry cohort);
--            summing the cells of days ≤ d gives the units that entered by day d;
--   covariate sums for CUPED (Σz, Σz², Σxz) when p_covariate is given. z is the unit's
--   pre-period value from the interactions table (the unit's recorded history, whichever
--   experiment or import it came from), over [p_pre_since, p_pre_until):
--     'metric':   the metric's own pre-period value: conversion → 1 if any purchase,
--                 revenue_per_unit → Σ purchase values; ratio metrics get no covariate;
--     'count':    the count of the unit's p_covariate_event events (e.g. purchase);
--     'revenue':  Σ purchase values;
--   units with no pre-period interactions have z = 0.
-- Units are summed per cell with every metric side by side, then unpivoted, so the wide
-- per-unit rows are aggregated once. JIT is off (its compile time outweighs its gain here)
-- and work_mem raised so the per-unit hash aggregate of millions of units stays in memory.
CREATE FUNCTION abctl_report_cells(
    p_experiment text, p_k integer, p_window interval, p_gains jsonb, p_exponential boolean,
    p_since timestamptz, p_until timestamptz, p_segment text,
    p_covariate text, p_covariate_event text, p_pre_since timestamptz, p_pre_until timestamptz
)
RETURNS TABLE (
    arm text, period bigint, segment text, day timestamptz, metric text, units bigint,
    sum double precision, sum_squares double precision,
    denominator_sum double precision, denominator_sum_squares double precision, cross_sum double precision,
    covariate_sum double precision, covariate_sum_squares double precision, covariate_cross_sum double precision
)
LANGUAGE sql STABLE
SET jit = off
SET work_mem = '256MB'
AS $$
    WITH per_unit AS (
        SELECT m.arm, m.unit_id,
               min(m.allocation_version) AS period,
               -- the segment of the earliest impression: min over [time as sortable text, segment]
               -- (a plain aggregate, so the group-by can hash instead of sort)
               (min(CASE WHEN p_segment IS NOT NULL
                         THEN ARRAY[to_char(m.created_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS'), m.segment] END))[2] AS segment,
               date_trunc('day', min(m.created_at), 'UTC') AS day,
               count(*)::double precision AS n,
               sum(m.precision_k) AS precision_sum, sum(m.ndcg_k) AS ndcg_sum, sum(m.mrr) AS mrr_sum,
               sum(m.hit_k) AS hit_sum, sum(m.clicks)::double precision AS clicks,
               CASE WHEN sum(m.purchases) > 0 THEN 1.0 ELSE 0.0 END AS converted,
               sum(m.revenue) AS revenue
        FROM abctl_impression_metrics_segmented(p_experiment, p_k, p_window, p_gains, p_exponential, p_since, p_until, p_segment) m
        GROUP BY m.arm, m.unit_id
    ),
    pre AS (
        SELECT h.unit_id,
               count(*) FILTER (WHERE h.event_type = p_covariate_event)::double precision AS events,
               CASE WHEN count(*) FILTER (WHERE h.event_type = 'purchase') > 0 THEN 1.0 ELSE 0.0 END AS converted,
               COALESCE(sum(h.value) FILTER (WHERE h.event_type = 'purchase'), 0) AS revenue
        FROM interactions h
        WHERE p_covariate IS NOT NULL AND h.occurred_at >= p_pre_since AND h.occurred_at < p_pre_until
        GROUP BY h.unit_id
    ),
    unit_values AS (
        SELECT u.*,
               CASE p_covariate WHEN 'metric' THEN COALESCE(p.converted, 0) WHEN 'count' THEN COALESCE(p.events, 0)
                                WHEN 'revenue' THEN COALESCE(p.revenue, 0) END AS z_conversion,
               CASE p_covariate WHEN 'metric' THEN COALESCE(p.revenue, 0) WHEN 'count' THEN COALESCE(p.events, 0)
                                WHEN 'revenue' THEN COALESCE(p.revenue, 0) END AS z_revenue
        FROM per_unit u
        LEFT JOIN pre p ON p_covariate IS NOT NULL AND p.unit_id = u.unit_id
    ),
    cells AS (
        SELECT u.arm, u.period, u.segment, u.day, count(*) AS units,
               sum(u.n) AS n, sum(u.n * u.n) AS nn,
               sum(u.precision_sum) AS p, sum(u.precision_sum * u.precision_sum) AS pp, sum(u.precision_sum * u.n) AS pn,
               sum(u.ndcg_sum) AS g, sum(u.ndcg_sum * u.ndcg_sum) AS gg, sum(u.ndcg_sum * u.n) AS gn,
               sum(u.mrr_sum) AS r, sum(u.mrr_sum * u.mrr_sum) AS rr, sum(u.mrr_sum * u.n) AS rn,
               sum(u.hit_sum) AS h, sum(u.hit_sum * u.hit_sum) AS hh, sum(u.hit_sum * u.n) AS hn,
               sum(u.clicks) AS c, sum(u.clicks * u.clicks) AS cc, sum(u.clicks * u.n) AS cn,
               sum(u.converted) AS v, sum(u.converted * u.converted) AS vv,
               sum(u.z_conversion) AS vz, sum(u.z_conversion * u.z_conversion) AS vzz, sum(u.converted * u.z_conversion) AS vxz,
               sum(u.revenue) AS m, sum(u.revenue * u.revenue) AS mm,
               sum(u.z_revenue) AS mz, sum(u.z_revenue * u.z_revenue) AS mzz, sum(u.revenue * u.z_revenue) AS mxz
        FROM unit_values u
        GROUP BY u.arm, u.period, u.segment, u.day
    )
    SELECT c.arm, c.period, c.segment, c.day, v.metric, c.units, v.x, v.xx, v.y, v.yy, v.xy, v.z, v.zz, v.xz
    FROM cells c
    CROSS JOIN LATERAL (VALUES
        ('precision@k', c.p, c.pp, c.n, c.nn, c.pn, NULL::double precision, NULL::double precision, NULL::double precision),
        ('ndcg@k', c.g, c.gg, c.n, c.nn, c.gn, NULL, NULL, NULL),
        ('mrr', c.r, c.rr, c.n, c.nn, c.rn, NULL, NULL, NULL),
        ('hit@k', c.h, c.hh, c.n, c.nn, c.hn, NULL, NULL, NULL),
        ('ctr', c.c, c.cc, c.n, c.nn, c.cn, NULL, NULL, NULL),
        ('conversion', c.v, c.vv, NULL, NULL, NULL, c.vz, c.vzz, c.vxz),
        ('revenue_per_unit', c.m, c.mm, NULL, NULL, NULL, c.mz, c.mzz, c.mxz)
    ) AS v(metric, x, xx, y, yy, xy, z, zz, xz)
$$;
