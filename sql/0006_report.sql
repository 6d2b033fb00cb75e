-- The report's SQL (issue 7, second part): the statistics of 0003 broken down further, so
-- `abctl report` can analyse bandit experiments per allocation period, break results down
-- by a segment of the impression context, adjust with CUPED and draw lift over time, all
-- from aggregates computed here. 0003's functions are left as they are (migrations are
-- checksummed); these are new functions beside them.

-- abctl_impression_metrics (0003) plus the value of one context key of the impression
-- (p_segment, e.g. 'device'; NULL gives NULL). Same definitions as 0003.
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
    WITH imp AS (
        SELECT i.request_id, i.unit_id, i.arm, i.allocation_version, i.created_at, i.item_ids,
               CASE WHEN p_segment IS NULL THEN NULL ELSE i.context ->> p_segment END AS segment
        FROM impressions i
        WHERE i.experiment = p_experiment AND i.created_at >= p_since AND i.created_at < p_until
    ),
    attributed AS (
        SELECT imp.request_id, f.item_id, f.event_type, f.value
        FROM imp
        JOIN feedback f ON f.request_id = imp.request_id
            AND f.created_at >= imp.created_at AND f.created_at <= imp.created_at + p_window
    ),
    grade AS (
        SELECT a.request_id, a.item_id, max(COALESCE((p_gains ->> a.event_type)::double precision, 0)) AS r
        FROM attributed a
        GROUP BY a.request_id, a.item_id
    ),
    judged AS (  -- relevant items at their first position in the list
        SELECT imp.request_id, min(u.pos) AS pos, g.r,
               CASE WHEN p_exponential THEN power(2, g.r) - 1 ELSE g.r END AS gain
        FROM imp
        CROSS JOIN LATERAL unnest(imp.item_ids) WITH ORDINALITY AS u(item_id, pos)
        JOIN grade g ON g.request_id = imp.request_id AND g.item_id = u.item_id
        WHERE g.r > 0
        GROUP BY imp.request_id, u.item_id, g.r
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
    SELECT imp.request_id, imp.unit_id, imp.arm, imp.allocation_version, imp.created_at, imp.segment,
           COALESCE(p.relevant_k, 0)::double precision / p_k,
           CASE WHEN p.idcg > 0 THEN p.dcg / p.idcg ELSE 0 END,
           CASE WHEN p.first_pos IS NULL THEN 0 ELSE 1.0 / p.first_pos END,
           CASE WHEN COALESCE(p.relevant_k, 0) > 0 THEN 1 ELSE 0 END,
           COALESCE(e.clicks, 0), COALESCE(e.purchases, 0), COALESCE(e.revenue, 0)
    FROM imp
    LEFT JOIN per_impression p ON p.request_id = imp.request_id
    LEFT JOIN events e ON e.request_id = imp.request_id
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
LANGUAGE sql STABLE AS $$
    WITH per_unit AS (
        SELECT m.arm, m.unit_id,
               min(m.allocation_version) AS period,
               -- the segment of the earliest impression: min over [time as sortable text, segment]
               -- (a plain aggregate, so the 10⁷-row group-by can hash instead of sort)
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
          AND h.unit_id IN (SELECT unit_id FROM per_unit)
        GROUP BY h.unit_id
    ),
    per_unit_with_pre AS (
        SELECT u.*,
               CASE p_covariate WHEN 'count' THEN COALESCE(p.events, 0) WHEN 'revenue' THEN COALESCE(p.revenue, 0) END AS z_any,
               COALESCE(p.converted, 0) AS z_converted, COALESCE(p.revenue, 0) AS z_revenue
        FROM per_unit u
        LEFT JOIN pre p ON p.unit_id = u.unit_id
    )
    SELECT u.arm, u.period, u.segment, u.day, v.metric, count(*),
           sum(v.x), sum(v.x * v.x), sum(v.y), sum(v.y * v.y), sum(v.x * v.y),
           sum(v.z), sum(v.z * v.z), sum(v.x * v.z)
    FROM per_unit_with_pre u
    CROSS JOIN LATERAL (VALUES
        ('precision@k', u.precision_sum, u.n, NULL::double precision),
        ('ndcg@k', u.ndcg_sum, u.n, NULL),
        ('mrr', u.mrr_sum, u.n, NULL),
        ('hit@k', u.hit_sum, u.n, NULL),
        ('ctr', u.clicks, u.n, NULL),
        ('conversion', u.converted, NULL, CASE WHEN p_covariate = 'metric' THEN u.z_converted ELSE u.z_any END),
        ('revenue_per_unit', u.revenue, NULL, CASE WHEN p_covariate = 'metric' THEN u.z_revenue ELSE u.z_any END)
    ) AS v(metric, x, y, z)
    GROUP BY u.arm, u.period, u.segment, u.day, v.metric
$$;
