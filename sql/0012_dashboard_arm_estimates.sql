-- The report's estimator for Grafana: per experiment, metric (conversion, ctr, ndcg) and arm,
-- the mean post-stratified on the allocation period, its 95% interval, and beside it the lift
-- over control computed from the same two means, as `abctl report` computes them when the
-- allocation moved (docs/statistics.md, "Adaptive allocation"):
--   W_p = units entering in period p (all arms) / units of the periods used
--   mean_a = Σ W_p x̄_{a,p} / Σ W_p ȳ_{a,p}   (ȳ ≡ 1 for conversion; impressions for ctr, ndcg)
--   Var(mean_a) = Σ W_p² ṽ_{a,p} / n_{a,p} / (Σ W_p ȳ_{a,p})², ṽ = the cell's residual variance
--     s²ₓ − 2m·sₓᵧ + m²·s²ᵧ shrunk toward the period's pooled one with κ = 100 units
--   absolute lift m_B − m_A, z interval and two-sided p-value (abctl_normal_survival, to 1.5e-7); relative lift
--   (m_B/m_A)/(1 + V_A/m_A²) − 1 with the log-scale interval exp(log(m_B/m_A) ± 1.96·s) − 1.
-- Under a single allocation version this is the pooled mean and the report's pooled lifts
-- differ only in their variance formula (Welch/z on the pooled units). A unit's period is the
-- allocation version of its first impression. Periods where an arm with units has fewer than
-- two are left out for every arm (the report leaves them out per compared pair; the same for
-- two arms). pooled_mean is the raw mean over all periods, for reference only.
CREATE VIEW abctl_dashboard_arm_estimates AS
WITH per_unit AS (
    SELECT m.experiment, m.arm, m.unit_id, min(m.allocation_version) AS period,
           count(*)::double precision AS impressions,
           sum(m.clicks)::double precision AS clicks,
           sum(m.ndcg_k) AS ndcg,
           CASE WHEN sum(m.purchases) > 0 THEN 1.0 ELSE 0.0 END::double precision AS converted
    FROM abctl_dashboard_impression_metrics m
    GROUP BY m.experiment, m.arm, m.unit_id
),
unit_values AS (
    SELECT experiment, arm, period, 'conversion'::text AS metric, converted AS x, 1.0::double precision AS y FROM per_unit
    UNION ALL
    SELECT experiment, arm, period, 'ctr', clicks, impressions FROM per_unit
    UNION ALL
    SELECT experiment, arm, period, 'ndcg', ndcg, impressions FROM per_unit
),
cells AS (
    SELECT experiment, metric, arm, period,
           count(*)::double precision AS n, sum(x) AS sx, avg(x) AS mx, avg(y) AS my,
           coalesce(var_samp(x), 0) AS vxx, coalesce(var_samp(y), 0) AS vyy, coalesce(covar_samp(x, y), 0) AS vxy
    FROM unit_values
    GROUP BY experiment, metric, arm, period
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

GRANT SELECT ON abctl_dashboard_arm_estimates TO abctl_reader;
