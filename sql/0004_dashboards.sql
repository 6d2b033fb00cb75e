-- Dashboards: views the Grafana dashboard (dashboards/abctl-grafana.json) and the built-in
-- /dashboard of `abctl serve` read, and the read-only role `abctl_reader` they read through.
-- Every view is keyed by `experiment`, so a dashboard filters with WHERE experiment = …;
-- times are timestamptz and days are UTC days, like the event log's partitions.
-- docs/dashboards.md explains each view and panel.

-- A spec duration ('2h', '1h30m', '1d', '0s': Spec.SpecDuration's text) as an interval.
CREATE FUNCTION abctl_spec_duration(p_text text)
RETURNS interval
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT COALESCE(sum(m[1]::integer * CASE m[2]
                                            WHEN 'd' THEN interval '1 day'
                                            WHEN 'h' THEN interval '1 hour'
                                            WHEN 'm' THEN interval '1 minute'
                                            ELSE interval '1 second'
                                        END), interval '0')
    FROM regexp_matches(p_text, '(\d+)([dhms])', 'g') AS m
$$;

-- P(Z ≥ z) for a standard normal Z, by Abramowitz & Stegun 26.2.17 (absolute error below
-- 7.5e-8; PostgreSQL 15 has no erf). Used only for the SRM p-value below.
CREATE FUNCTION abctl_normal_survival(z double precision)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    x       double precision := abs(z);
    t       double precision := 1 / (1 + 0.2316419 * x);
    tail    double precision;
BEGIN
    tail := exp(-x * x / 2) / sqrt(2 * pi())
        * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    RETURN CASE WHEN z >= 0 THEN tail ELSE 1 - tail END;
END;
$$;

-- P(χ²_df ≥ x): the closed forms for integer degrees of freedom (A&S 26.4.4 and 26.4.5).
-- Even df: e^{−x/2} Σ_{i<df/2} (x/2)^i / i!. Odd df: 2Q(√x) + 2φ(√x) Σ_{r=1}^{(df−1)/2}
-- √x^{2r−1} / (1·3···(2r−1)). Exact for even df, within 1.5e-7 for odd df.
CREATE FUNCTION abctl_chi_squared_survival(x double precision, df integer)
RETURNS double precision
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    term    double precision;
    total   double precision;
    root    double precision;
BEGIN
    IF df < 1 THEN
        RAISE EXCEPTION 'abctl_chi_squared_survival: degrees of freedom must be at least 1, got %', df;
    END IF;
    IF x <= 0 THEN
        RETURN 1;
    END IF;
    IF df % 2 = 0 THEN
        term := exp(-x / 2);
        total := term;
        FOR i IN 1 .. df / 2 - 1 LOOP
            term := term * (x / 2) / i;
            total := total + term;
        END LOOP;
    ELSE
        root := sqrt(x);
        term := root;
        total := 0;
        FOR r IN 1 .. (df - 1) / 2 LOOP
            total := total + term;
            term := term * x / (2 * r + 1);
        END LOOP;
        total := 2 * abctl_normal_survival(root) + 2 * exp(-x / 2) / sqrt(2 * pi()) * total;
    END IF;
    RETURN least(greatest(total, 0), 1);
END;
$$;

-- The latest version of every experiment with its status and the evaluator settings of its
-- spec (K, attribution window, gains, gain kind), defaults as in Spec.MetricsSpec.
CREATE VIEW abctl_dashboard_experiments AS
SELECT e.name AS experiment,
       e.version,
       COALESCE(s.status, 'draft') AS status,
       COALESCE((e.spec #>> '{metrics,k}')::integer, 10) AS k,
       COALESCE(abctl_spec_duration(e.spec #>> '{metrics,attribution_window}'), interval '1 day') AS attribution_window,
       COALESCE(e.spec #> '{metrics,gains}', '{"click": 1, "add_to_cart": 2, "purchase": 3}'::jsonb) AS gains,
       COALESCE(e.spec #>> '{metrics,gain}', 'linear') = 'exponential' AS exponential_gain,
       e.created_at AS updated_at
FROM (SELECT DISTINCT ON (name) * FROM experiments ORDER BY name, version DESC) e
LEFT JOIN LATERAL (
    SELECT st.status FROM experiment_status st
    WHERE st.experiment = e.name ORDER BY st.changed_at DESC, st.id DESC LIMIT 1
) s ON true;

-- Allocation over time: one row per arm per allocation version, the weights exploded from
-- the jsonb, with the time the version was replaced (NULL while it is in force).
CREATE VIEW abctl_dashboard_allocations AS
SELECT a.experiment,
       a.allocation_version,
       a.policy,
       a.effective_from,
       a.effective_until,
       w.arm,
       w.weight::double precision AS weight
FROM (
    SELECT al.*, lead(al.effective_from) OVER (PARTITION BY al.experiment ORDER BY al.allocation_version) AS effective_until
    FROM allocations al
) a
CROSS JOIN LATERAL jsonb_each_text(a.weights) AS w(arm, weight);

-- Per-impression ranking metrics (sql/0003) of every experiment under its own spec's settings.
CREATE VIEW abctl_dashboard_impression_metrics AS
SELECT x.experiment, x.k, m.*
FROM abctl_dashboard_experiments x
CROSS JOIN LATERAL abctl_impression_metrics(
    x.experiment, x.k, x.attribution_window, x.gains, x.exponential_gain, '-infinity', 'infinity'
) m;

-- Per arm per UTC day: impressions, units, CTR, conversion and NDCG@K, each with a 95%
-- interval by the normal approximation over UNITS (the unit of randomisation), as the
-- report does: CTR = Σclicks / Σimpressions and NDCG@K = ΣNDCG / Σimpressions are ratios of
-- per-unit sums, so their standard error is the delta method's
--   se(R) = sqrt((s²_x − 2R·s_xy + R²·s²_y) / ȳ² / n)
-- with sample (n − 1) variances over the n units of the day (Stats' ratio estimate);
-- conversion = converting units / units, se = sqrt(p(1 − p) / n) (Wald). A unit's day is the
-- UTC day of its impressions, so a unit seen on two days counts on each. Bounds are NULL
-- with fewer than two units (no variance to estimate) and clipped to the metric's range
-- (CTR ≥ 0; conversion and NDCG in [0, 1]), since the normal approximation ignores it.
CREATE VIEW abctl_dashboard_daily_arm_metrics AS
WITH unit_days AS (
    SELECT m.experiment, m.k, m.arm, m.unit_id,
           date_trunc('day', m.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
           count(*)::double precision AS impressions,
           sum(m.clicks)::double precision AS clicks,
           sum(m.ndcg_k) AS ndcg,
           CASE WHEN sum(m.purchases) > 0 THEN 1.0 ELSE 0.0 END::double precision AS converted
    FROM abctl_dashboard_impression_metrics m
    GROUP BY m.experiment, m.k, m.arm, m.unit_id, 5
),
sums AS (
    SELECT u.experiment, u.k, u.arm, u.day,
           count(*)::double precision AS units,
           sum(u.impressions) AS impressions,
           sum(u.clicks) AS clicks,
           sum(u.ndcg) AS ndcg_sum,
           sum(u.converted) AS conversions,
           avg(u.impressions) AS mean_impressions,
           var_samp(u.impressions) AS var_impressions,
           var_samp(u.clicks) AS var_clicks,
           covar_samp(u.clicks, u.impressions) AS cov_clicks,
           var_samp(u.ndcg) AS var_ndcg,
           covar_samp(u.ndcg, u.impressions) AS cov_ndcg
    FROM unit_days u
    GROUP BY u.experiment, u.k, u.arm, u.day
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

-- Every logged event with its experiment and time, for events-per-minute panels:
-- kind 'impression' or 'feedback' (with its event_type). Feedback finds its experiment
-- through the impression it answers (by request id).
CREATE VIEW abctl_dashboard_events AS
SELECT i.experiment, 'impression'::text AS kind, NULL::text AS event_type, i.created_at
FROM impressions i
UNION ALL
SELECT i.experiment, 'feedback'::text, f.event_type, f.created_at
FROM feedback f
CROSS JOIN LATERAL (SELECT im.experiment FROM impressions im WHERE im.request_id = f.request_id LIMIT 1) i;

-- Sample-ratio mismatch per experiment, over all its impressions, as `abctl report` checks
-- it (Stats.SampleRatioMismatch): a unit counts once per arm, in the period (allocation
-- version) of its first impression there; each period's units are expected to split by the
-- weights in force then (normalised over the spec's arms), so a bandit that moved traffic
-- is not flagged. Pearson's χ² over arms with expected > 0, df = those arms − 1, p-value
-- from abctl_chi_squared_survival; status 'mismatch' when p < 0.001 (or units reached an
-- arm of weight 0), 'not enough arms' with fewer than two arms to compare, else 'ok'.
-- One row per arm; the experiment-level columns repeat on each.
CREATE VIEW abctl_dashboard_srm AS
WITH spec_arms AS (
    SELECT a.experiment, a.arm
    FROM arms a
    JOIN abctl_dashboard_experiments x ON x.experiment = a.experiment AND x.version = a.version
),
units AS (
    SELECT i.experiment, i.arm, i.unit_id, min(i.allocation_version) AS period
    FROM impressions i
    GROUP BY i.experiment, i.arm, i.unit_id
),
per_period AS (
    SELECT u.experiment, u.period, u.arm, count(*)::double precision AS units
    FROM units u
    GROUP BY u.experiment, u.period, u.arm
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

-- The read-only role dashboards read through. Roles belong to the cluster, not the
-- database, and tests migrate many databases of one cluster at once: create it only when
-- missing and tolerate a concurrent creator.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'abctl_reader') THEN
        CREATE ROLE abctl_reader NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;  -- another database's migration created it first
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'abctl: role abctl_reader does not exist and % may not create roles', current_user
            USING HINT = 'As a superuser run CREATE ROLE abctl_reader NOLOGIN; then run abctl migrate again';
END
$$;

GRANT USAGE ON SCHEMA public TO abctl_reader;
-- Tables the views and the evaluator functions (SECURITY INVOKER) read; partitions are read
-- through their parents, so later partitions need no grant.
GRANT SELECT ON experiments, experiment_status, arms, allocations, impressions, feedback TO abctl_reader;
GRANT SELECT ON abctl_dashboard_experiments, abctl_dashboard_allocations, abctl_dashboard_impression_metrics,
                abctl_dashboard_daily_arm_metrics, abctl_dashboard_events, abctl_dashboard_srm TO abctl_reader;

-- `abctl serve` reads its dashboard as abctl_reader (SET LOCAL ROLE), which a non-superuser
-- may do only as a member: make the migrating user (usually the serving one) a member when
-- allowed. A superuser needs no membership; without the privilege a DBA runs
-- GRANT abctl_reader TO <serving user> (docs/dashboards.md).
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'abctl_reader', 'MEMBER') THEN
        EXECUTE format('GRANT abctl_reader TO %I', current_user);
    END IF;
EXCEPTION WHEN insufficient_privilege OR duplicate_object OR unique_violation THEN
    RAISE NOTICE 'abctl: % is not a member of abctl_reader; run GRANT abctl_reader TO % as a superuser for /dashboard',
        current_user, current_user;
END
$$;
