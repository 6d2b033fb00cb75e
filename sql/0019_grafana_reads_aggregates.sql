-- Grafana reads the maintained aggregates (issue 21): the views of 0004 and 0012 keep their
-- names, columns and meaning, but read the sums kept by abctl_refresh_aggregates (0015, 0018)
-- instead of every impression and every piece of feedback, so a panel costs what the
-- aggregates cost, not what the history costs. Their data is as fresh as the last refresh
-- (`abctl serve` refreshes every 10 s by default; `abctl refresh` without a server):
-- abctl_dashboard_freshness says when that was. An experiment that was never refreshed shows
-- no rows. Variances come from the kept sums of squares,
--   s²ₓ = (Σx² − (Σx)²/n)/(n − 1),  sₓᵧ = (Σxy − ΣxΣy/n)/(n − 1),
-- equal to var_samp/covar_samp over the same units up to rounding.
-- abctl_dashboard_events stays on the raw logs: it is a time series that Grafana's time
-- range bounds, so its cost follows the range, not the history.

-- 0004's tail probabilities raised "value out of range: underflow" once a lift or a sample
-- ratio was decisive enough: PostgreSQL's exp() refuses a result below the smallest double
-- (z above about 38.6, χ² above about 1,490). A tail that small is 0 at their stated
-- accuracy; the χ² terms are now summed from their logarithms, so a large statistic with many
-- degrees of freedom is still right.
CREATE OR REPLACE FUNCTION abctl_normal_survival(z double precision)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    x       double precision := abs(z);
    t       double precision := 1 / (1 + 0.2316419 * x);
    tail    double precision := 0;
BEGIN
    IF x < 37 THEN  -- beyond, the tail is below 1e-298: 0 within 7.5e-8
        tail := exp(-x * x / 2) / sqrt(2 * pi())
            * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    END IF;
    RETURN CASE WHEN z >= 0 THEN tail ELSE 1 - tail END;
END;
$$;

CREATE OR REPLACE FUNCTION abctl_chi_squared_survival(x double precision, df integer)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    log_term double precision;
    total    double precision;
BEGIN
    IF df < 1 THEN
        RAISE EXCEPTION 'abctl_chi_squared_survival: degrees of freedom must be at least 1, got %', df;
    END IF;
    IF x <= 0 THEN
        RETURN 1;
    END IF;
    IF df % 2 = 0 THEN
        -- e^{−x/2} Σ_{i<df/2} (x/2)^i / i!, each term as exp of its logarithm
        log_term := -x / 2;
        total := 0;
        FOR i IN 0 .. df / 2 - 1 LOOP
            IF i > 0 THEN
                log_term := log_term + ln(x / 2 / i);
            END IF;
            IF log_term > -700 THEN
                total := total + exp(log_term);
            END IF;
        END LOOP;
    ELSE
        -- 2Q(√x) + 2φ(√x) Σ_{r=1}^{(df−1)/2} √x^{2r−1} / (1·3···(2r−1))
        log_term := -x / 2 - ln(sqrt(2 * pi())) + ln(2) + 0.5 * ln(x);
        total := 2 * abctl_normal_survival(sqrt(x));
        FOR r IN 1 .. (df - 1) / 2 LOOP
            IF r > 1 THEN
                log_term := log_term + ln(x / (2 * r - 1));
            END IF;
            IF log_term > -700 THEN
                total := total + exp(log_term);
            END IF;
        END LOOP;
    END IF;
    RETURN least(greatest(total, 0), 1);
END;
$$;

-- The maintained definition each experiment's panels read: the report's (cut-off lag 0) at
-- the spec's K. Registration keeps only the latest spec's definitions, so there is one.
CREATE VIEW abctl_dashboard_definitions AS
SELECT x.experiment, x.k, md.definition_key, md.data_until, md.refreshed_at
FROM abctl_dashboard_experiments x
JOIN abctl_metric_definitions md
    ON md.experiment = x.experiment AND md.cutoff_lag = interval '0' AND md.k = x.k;

-- How fresh each experiment's panels are: every row committed before data_as_of is counted.
CREATE VIEW abctl_dashboard_freshness AS
SELECT dd.experiment, dd.refreshed_at AS data_as_of, now() - dd.refreshed_at AS age
FROM abctl_dashboard_definitions dd
WHERE dd.refreshed_at IS NOT NULL;

-- Per-impression metrics, as kept for the report's definition.
CREATE OR REPLACE VIEW abctl_dashboard_impression_metrics AS
SELECT dd.experiment, dd.k, m.request_id, m.unit_id, m.arm, m.allocation_version, m.created_at,
       m.precision_k, m.ndcg_k, m.mrr, m.hit_k, m.clicks, m.purchases, m.revenue
FROM abctl_dashboard_definitions dd
JOIN abctl_agg_impressions m ON m.definition_key = dd.definition_key;

-- 0004's per-day panel, from the unit-day sums (0018).
CREATE OR REPLACE VIEW abctl_dashboard_daily_arm_metrics AS
WITH sums AS (
    SELECT dd.experiment, dd.k, c.arm, c.day,
           c.units::double precision AS units,
           c.n AS impressions,
           c.c AS clicks,
           c.g AS ndcg_sum,
           c.v AS conversions,
           c.n / c.units AS mean_impressions,
           CASE WHEN c.units > 1 THEN (c.nn - c.n * c.n / c.units) / (c.units - 1) END AS var_impressions,
           CASE WHEN c.units > 1 THEN (c.cc - c.c * c.c / c.units) / (c.units - 1) END AS var_clicks,
           CASE WHEN c.units > 1 THEN (c.cn - c.c * c.n / c.units) / (c.units - 1) END AS cov_clicks,
           CASE WHEN c.units > 1 THEN (c.gg - c.g * c.g / c.units) / (c.units - 1) END AS var_ndcg,
           CASE WHEN c.units > 1 THEN (c.gn - c.g * c.n / c.units) / (c.units - 1) END AS cov_ndcg
    FROM abctl_dashboard_definitions dd
    JOIN abctl_agg_day_cells c ON c.definition_key = dd.definition_key
),
estimates AS (
    SELECT s.*,
           s.clicks / s.impressions AS ctr,
           s.ndcg_sum / s.impressions AS ndcg,
           s.conversions / s.units AS conversion,
           sqrt(greatest(s.var_clicks - 2 * (s.clicks / s.impressions) * s.cov_clicks
                         + (s.clicks / s.impressions) ^ 2 * s.var_impressions, 0)
                / (s.mean_impressions ^ 2) / s.units) AS ctr_se,
           sqrt(greatest(s.var_ndcg - 2 * (s.ndcg_sum / s.impressions) * s.cov_ndcg
                         + (s.ndcg_sum / s.impressions) ^ 2 * s.var_impressions, 0)
                / (s.mean_impressions ^ 2) / s.units) AS ndcg_se,
           CASE WHEN s.units > 1
                THEN sqrt((s.conversions / s.units) * (1 - s.conversions / s.units) / s.units) END AS conversion_se
    FROM sums s
)
SELECT e.experiment, e.arm, e.day, e.k,
       e.units::bigint AS units,
       e.impressions::bigint AS impressions,
       e.clicks::bigint AS clicks,
       e.ctr,
       greatest(e.ctr - 1.959963984540054 * e.ctr_se, 0) AS ctr_lower,
       e.ctr + 1.959963984540054 * e.ctr_se AS ctr_upper,
       e.conversions::bigint AS conversions,
       e.conversion,
       greatest(e.conversion - 1.959963984540054 * e.conversion_se, 0) AS conversion_lower,
       least(e.conversion + 1.959963984540054 * e.conversion_se, 1) AS conversion_upper,
       e.ndcg,
       greatest(e.ndcg - 1.959963984540054 * e.ndcg_se, 0) AS ndcg_lower,
       least(e.ndcg + 1.959963984540054 * e.ndcg_se, 1) AS ndcg_upper
FROM estimates e;


-- 0012's estimator, from the (arm, period, entry day) cells summed over entry days.
CREATE OR REPLACE VIEW abctl_dashboard_arm_estimates AS
WITH period_cells AS (
    SELECT dd.experiment, c.arm, c.period,
           sum(c.units)::double precision AS n,
           sum(c.n) AS n1, sum(c.nn) AS nn,
           sum(c.v) AS v, sum(c.vv) AS vv,
           sum(c.c) AS c, sum(c.cc) AS cc, sum(c.cn) AS cn,
           sum(c.g) AS g, sum(c.gg) AS gg, sum(c.gn) AS gn
    FROM abctl_dashboard_definitions dd
    JOIN abctl_agg_cells c ON c.definition_key = dd.definition_key
    GROUP BY dd.experiment, c.arm, c.period
),
metric_sums AS (  -- per metric: x, Σx², y (impressions, or 1 for conversion), Σy², Σxy
    SELECT experiment, arm, period, n, 'conversion'::text AS metric, v AS sx, vv AS sxx, n AS sy, n AS syy, v AS sxy FROM period_cells
    UNION ALL
    SELECT experiment, arm, period, n, 'ctr', c, cc, n1, nn, cn FROM period_cells
    UNION ALL
    SELECT experiment, arm, period, n, 'ndcg', g, gg, n1, nn, gn FROM period_cells
),
cells AS (
    SELECT experiment, metric, arm, period, n, sx, sx / n AS mx, sy / n AS my,
           CASE WHEN n > 1 THEN (sxx - sx * sx / n) / (n - 1) ELSE 0 END AS vxx,
           CASE WHEN n > 1 THEN (syy - sy * sy / n) / (n - 1) ELSE 0 END AS vyy,
           CASE WHEN n > 1 THEN (sxy - sx * sy / n) / (n - 1) ELSE 0 END AS vxy
    FROM metric_sums
),
arm_count AS (
    SELECT experiment, metric, count(DISTINCT arm) AS arms FROM cells GROUP BY experiment, metric
),
periods AS (
    SELECT c.experiment, c.metric, c.period, sum(c.n) AS units
    FROM cells c JOIN arm_count a USING (experiment, metric)
    GROUP BY c.experiment, c.metric, c.period, a.arms
    HAVING count(*) FILTER (WHERE c.n >= 2 AND c.my > 0) = a.arms
),
weighted AS (
    SELECT c.*, p.units / sum(p.units) OVER (PARTITION BY c.experiment, c.metric, c.arm) AS w
    FROM cells c JOIN periods p USING (experiment, metric, period)
),
means AS (
    SELECT experiment, metric, arm, sum(w * mx) / sum(w * my) AS mean, sum(w * my) AS ybar,
           sum(n) AS units, count(*) AS periods_used
    FROM weighted
    GROUP BY experiment, metric, arm
),
residuals AS (
    SELECT wt.*, greatest(wt.vxx - 2 * m.mean * wt.vxy + m.mean ^ 2 * wt.vyy, 0) AS v
    FROM weighted wt JOIN means m USING (experiment, metric, arm)
),
shrunk AS (
    SELECT r.*,
           ((r.n - 1) * r.v + 100 * coalesce(sum((r.n - 1) * r.v) OVER period / nullif(sum(r.n - 1) OVER period, 0), 0))
               / (r.n - 1 + 100) AS vs
    FROM residuals r
    WINDOW period AS (PARTITION BY r.experiment, r.metric, r.period)
),
estimates AS (
    SELECT s.experiment, s.metric, s.arm, m.units, m.mean, m.periods_used,
           sum(s.w ^ 2 * s.vs / s.n) / (m.ybar ^ 2) AS variance
    FROM shrunk s JOIN means m USING (experiment, metric, arm)
    GROUP BY s.experiment, s.metric, s.arm, m.units, m.mean, m.ybar, m.periods_used
),
pooled AS (
    SELECT experiment, metric, arm, sum(sx) / sum(n * my) AS pooled_mean FROM cells GROUP BY experiment, metric, arm
),
control AS (
    SELECT x.name AS experiment,
           COALESCE((SELECT a.arm FROM arms a WHERE a.experiment = x.name AND a.version = x.version AND a.is_control LIMIT 1),
                    x.spec #>> '{arms,0,key}') AS arm
    FROM (SELECT DISTINCT ON (name) name, version, spec FROM experiments ORDER BY name, version DESC) x
)
SELECT e.experiment, e.metric, e.arm, e.arm = c.arm AS is_control,
       e.units::bigint AS units, e.periods_used::integer AS periods_used,
       e.mean,
       e.mean - 1.959963984540054 * sqrt(e.variance) AS mean_lower,
       e.mean + 1.959963984540054 * sqrt(e.variance) AS mean_upper,
       p.pooled_mean,
       CASE WHEN e.arm <> c.arm THEN e.mean - k.mean END AS absolute_lift,
       CASE WHEN e.arm <> c.arm THEN e.mean - k.mean - 1.959963984540054 * sqrt(e.variance + k.variance) END AS absolute_lower,
       CASE WHEN e.arm <> c.arm THEN e.mean - k.mean + 1.959963984540054 * sqrt(e.variance + k.variance) END AS absolute_upper,
       CASE WHEN e.arm <> c.arm AND e.variance + k.variance > 0
            THEN 2 * abctl_normal_survival(abs(e.mean - k.mean) / sqrt(e.variance + k.variance)) END AS p_value,
       CASE WHEN e.arm <> c.arm AND k.mean <> 0 THEN e.mean / k.mean / (1 + k.variance / k.mean ^ 2) - 1 END AS relative_lift,
       CASE WHEN e.arm <> c.arm AND k.mean > 0 AND e.mean > 0
            THEN exp(ln(e.mean / k.mean) - 1.959963984540054 * sqrt(e.variance / e.mean ^ 2 + k.variance / k.mean ^ 2)) - 1 END AS relative_lower,
       CASE WHEN e.arm <> c.arm AND k.mean > 0 AND e.mean > 0
            THEN exp(ln(e.mean / k.mean) + 1.959963984540054 * sqrt(e.variance / e.mean ^ 2 + k.variance / k.mean ^ 2)) - 1 END AS relative_upper
FROM estimates e
JOIN control c ON c.experiment = e.experiment
LEFT JOIN estimates k ON k.experiment = e.experiment AND k.metric = e.metric AND k.arm = c.arm
JOIN pooled p ON p.experiment = e.experiment AND p.metric = e.metric AND p.arm = e.arm;


-- 0004's sample-ratio check, from the units of the cells.
CREATE OR REPLACE VIEW abctl_dashboard_srm AS
WITH spec_arms AS (
    SELECT a.experiment, a.arm
    FROM arms a
    JOIN abctl_dashboard_experiments x ON x.experiment = a.experiment AND x.version = a.version
),
per_period AS (
    SELECT dd.experiment, c.period, c.arm, sum(c.units)::double precision AS units
    FROM abctl_dashboard_definitions dd
    JOIN abctl_agg_cells c ON c.definition_key = dd.definition_key
    GROUP BY dd.experiment, c.period, c.arm
),
cells AS (  -- every arm of the spec in every period that has an allocation row
    SELECT p.experiment, p.period, s.arm,
           COALESCE((al.weights ->> s.arm)::double precision, 0) AS weight,
           COALESCE(pp.units, 0) AS observed
    FROM (SELECT DISTINCT experiment, period FROM per_period) p
    JOIN allocations al ON al.experiment = p.experiment AND al.allocation_version = p.period
    JOIN spec_arms s ON s.experiment = p.experiment
    LEFT JOIN per_period pp ON pp.experiment = p.experiment AND pp.period = p.period AND pp.arm = s.arm
),
periods AS (
    SELECT c.experiment, c.period, sum(c.observed) AS total, sum(c.weight) AS weight_sum
    FROM cells c
    GROUP BY c.experiment, c.period
),
per_arm AS (
    SELECT c.experiment, c.arm,
           sum(c.observed) AS observed,
           sum(CASE WHEN p.weight_sum > 0 THEN p.total * c.weight / p.weight_sum ELSE 0 END) AS expected
    FROM cells c
    JOIN periods p ON p.experiment = c.experiment AND p.period = c.period
    GROUP BY c.experiment, c.arm
),
test AS (
    SELECT a.experiment,
           COALESCE(sum((a.observed - a.expected) ^ 2 / a.expected) FILTER (WHERE a.expected > 0), 0) AS chi_square,
           count(*) FILTER (WHERE a.expected > 0)::integer AS tested,
           bool_or(a.expected = 0 AND a.observed > 0) AS unexpected_units
    FROM per_arm a
    GROUP BY a.experiment
),
verdict AS (
    SELECT t.*,
           CASE WHEN t.unexpected_units THEN 0
                WHEN t.tested < 2 THEN 1
                ELSE abctl_chi_squared_survival(t.chi_square, t.tested - 1) END AS p_value
    FROM test t
)
SELECT a.experiment, a.arm,
       a.observed AS observed_units,
       a.expected AS expected_units,
       v.chi_square,
       greatest(v.tested - 1, 0) AS degrees_of_freedom,
       v.p_value,
       CASE WHEN v.unexpected_units OR (v.tested >= 2 AND v.p_value < 0.001) THEN 'mismatch'
            WHEN v.tested < 2 THEN 'not enough arms'
            ELSE 'ok' END AS status
FROM per_arm a
JOIN verdict v ON v.experiment = a.experiment;


GRANT SELECT ON abctl_dashboard_definitions, abctl_dashboard_freshness TO abctl_reader;
