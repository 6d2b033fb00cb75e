-- The evaluator's SQL: ranking metrics per impression, then per-unit and per-arm
-- sufficient statistics, computed in PostgreSQL so raw rows never travel to Swift.
-- Definitions (DESIGN.md, docs/metrics.md):
--   feedback counts for an impression when it carries the impression's request id and
--   happened within [impression time, impression time + window];
--   the graded relevance of an item is the highest gain among its attributed events
--   (gains from the spec, default click 1, add_to_cart 2, purchase 3);
--   precision@K = relevant items among the first K positions / K;
--   DCG@K = Σ_{i≤K} g(r_i) / log2(i + 1), g(r) = r (linear) or 2^r − 1 (exponential);
--   NDCG@K = DCG@K / IDCG@K, IDCG from the impression's judged items in ideal order; 0 with
--   no relevant item; MRR@K = 1 / position of the first relevant item in the first K (0 if none);
--   hit@K = 1 when a relevant item is in the first K.

CREATE FUNCTION abctl_impression_metrics(
    p_experiment text, p_k integer, p_window interval, p_gains jsonb, p_exponential boolean,
    p_since timestamptz, p_until timestamptz
)
RETURNS TABLE (
    request_id uuid, unit_id text, arm text, allocation_version bigint, created_at timestamptz,
    precision_k double precision, ndcg_k double precision, mrr double precision, hit_k double precision,
    clicks integer, purchases integer, revenue double precision
)
LANGUAGE sql STABLE AS $$
    WITH imp AS (
        SELECT i.request_id, i.unit_id, i.arm, i.allocation_version, i.created_at, i.item_ids
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
    SELECT imp.request_id, imp.unit_id, imp.arm, imp.allocation_version, imp.created_at,
           COALESCE(p.relevant_k, 0)::double precision / p_k,
           CASE WHEN p.idcg > 0 THEN p.dcg / p.idcg ELSE 0 END,
           CASE WHEN p.first_pos IS NULL THEN 0 ELSE 1.0 / p.first_pos END,
           CASE WHEN COALESCE(p.relevant_k, 0) > 0 THEN 1 ELSE 0 END,
           COALESCE(e.clicks, 0), COALESCE(e.purchases, 0), COALESCE(e.revenue, 0)
    FROM imp
    LEFT JOIN per_impression p ON p.request_id = imp.request_id
    LEFT JOIN events e ON e.request_id = imp.request_id
$$;

-- Per (arm, period, metric) sufficient statistics over units (the unit of randomisation):
-- count of units, Σx, Σx², and for ratio metrics (per-impression metrics and CTR, whose
-- denominator is the unit's impressions) Σy, Σy², Σxy for the delta method. A unit's
-- period is the allocation version of its first impression in the range, so bandit
-- experiments can be analysed per period.
CREATE FUNCTION abctl_arm_statistics(
    p_experiment text, p_k integer, p_window interval, p_gains jsonb, p_exponential boolean,
    p_since timestamptz, p_until timestamptz
)
RETURNS TABLE (
    arm text, period bigint, metric text, units bigint,
    sum double precision, sum_squares double precision,
    denominator_sum double precision, denominator_sum_squares double precision, cross_sum double precision
)
LANGUAGE sql STABLE AS $$
    WITH per_unit AS (
        SELECT m.arm, m.unit_id,
               min(m.allocation_version) AS period,
               count(*)::double precision AS n,
               sum(m.precision_k) AS precision_sum, sum(m.ndcg_k) AS ndcg_sum, sum(m.mrr) AS mrr_sum,
               sum(m.hit_k) AS hit_sum, sum(m.clicks)::double precision AS clicks,
               CASE WHEN sum(m.purchases) > 0 THEN 1.0 ELSE 0.0 END AS converted,
               sum(m.revenue) AS revenue
        FROM abctl_impression_metrics(p_experiment, p_k, p_window, p_gains, p_exponential, p_since, p_until) m
        GROUP BY m.arm, m.unit_id
    )
    SELECT u.arm, u.period, v.metric, count(*), sum(v.x), sum(v.x * v.x), sum(v.y), sum(v.y * v.y), sum(v.x * v.y)
    FROM per_unit u
    CROSS JOIN LATERAL (VALUES
        ('precision@k', u.precision_sum, u.n),
        ('ndcg@k', u.ndcg_sum, u.n),
        ('mrr', u.mrr_sum, u.n),
        ('hit@k', u.hit_sum, u.n),
        ('ctr', u.clicks, u.n),
        ('conversion', u.converted, NULL),
        ('revenue_per_unit', u.revenue, NULL)
    ) AS v(metric, x, y)
    GROUP BY u.arm, u.period, v.metric
$$;
