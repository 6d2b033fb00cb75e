-- Interleaving experiments (docs/interleaving.md). An interleaved impression shows one list
-- merged by Team-Draft from every arm's ranking; `teams` says, per position, which arm
-- contributed the item (teams[i] for item_ids[i]). It is NULL for every other impression,
-- including the fallback lists served to units outside an interleaving experiment.
-- Credit: a click (event_type 'click') on position i within the attribution window after
-- the impression counts once for teams[i], however often the position was clicked. A unit
-- prefers arm A over arm B when, summed over all its interleaved impressions, A earned more
-- credited clicks than B; equal credit (including none at all) is a tie.

ALTER TABLE impressions ADD COLUMN teams text[];
ALTER TABLE impressions ADD CONSTRAINT impressions_teams_per_item
    CHECK (teams IS NULL OR cardinality(teams) = cardinality(item_ids));

-- Clicks credited to each team of each interleaved impression in [p_since, p_until); only
-- teams that earned at least one click appear.
CREATE FUNCTION abctl_interleaving_impression_credits(
    p_experiment text, p_window interval, p_since timestamptz, p_until timestamptz
)
RETURNS TABLE (request_id uuid, unit_id text, team text, credited_clicks bigint)
LANGUAGE sql STABLE AS $$
    WITH imp AS (
        SELECT i.request_id, i.unit_id, i.created_at, i.item_ids, i.teams
        FROM impressions i
        WHERE i.experiment = p_experiment AND i.teams IS NOT NULL
          AND i.created_at >= p_since AND i.created_at < p_until
    ),
    clicked AS (  -- each clicked position once
        SELECT DISTINCT imp.request_id, imp.unit_id, u.pos, imp.teams[u.pos::integer] AS team
        FROM imp
        CROSS JOIN LATERAL unnest(imp.item_ids) WITH ORDINALITY AS u(item_id, pos)
        JOIN feedback f ON f.request_id = imp.request_id AND f.item_id = u.item_id AND f.event_type = 'click'
            AND f.created_at >= imp.created_at AND f.created_at <= imp.created_at + p_window
    )
    SELECT c.request_id, c.unit_id, c.team, count(*)
    FROM clicked c
    GROUP BY c.request_id, c.unit_id, c.team
$$;

-- Per unit and arm: the unit's interleaved impressions and the clicks credited to the arm
-- over all of them, with a row (possibly 0 clicks) for every arm that contributed to any
-- impression in the range, so that units without clicks count as ties.
CREATE FUNCTION abctl_interleaving_unit_credits(
    p_experiment text, p_window interval, p_since timestamptz, p_until timestamptz
)
RETURNS TABLE (unit_id text, arm text, impressions bigint, credited_clicks bigint)
LANGUAGE sql STABLE AS $$
    WITH imp AS (
        SELECT i.unit_id, i.teams
        FROM impressions i
        WHERE i.experiment = p_experiment AND i.teams IS NOT NULL
          AND i.created_at >= p_since AND i.created_at < p_until
    ),
    arms AS (SELECT DISTINCT t.team AS arm FROM imp CROSS JOIN LATERAL unnest(imp.teams) AS t(team)),
    units AS (SELECT imp.unit_id, count(*) AS impressions FROM imp GROUP BY imp.unit_id),
    credits AS (
        SELECT c.unit_id, c.team, sum(c.credited_clicks) AS clicks
        FROM abctl_interleaving_impression_credits(p_experiment, p_window, p_since, p_until) c
        GROUP BY c.unit_id, c.team
    )
    SELECT u.unit_id, a.arm, u.impressions, COALESCE(c.clicks, 0)::bigint
    FROM units u
    CROSS JOIN arms a
    LEFT JOIN credits c ON c.unit_id = u.unit_id AND c.team = a.arm
$$;

-- For every ordered pair of arms: units preferring `arm` (more credited clicks than
-- `opponent`), units preferring `opponent`, and ties. Two arms give the Team-Draft
-- comparison; more give multileaving's pairwise preferences. Each pair appears both ways.
CREATE FUNCTION abctl_interleaving_preferences(
    p_experiment text, p_window interval, p_since timestamptz, p_until timestamptz
)
RETURNS TABLE (arm text, opponent text, wins bigint, losses bigint, ties bigint)
LANGUAGE sql STABLE AS $$
    WITH c AS (SELECT * FROM abctl_interleaving_unit_credits(p_experiment, p_window, p_since, p_until))
    SELECT a.arm, b.arm,
           count(*) FILTER (WHERE a.credited_clicks > b.credited_clicks),
           count(*) FILTER (WHERE a.credited_clicks < b.credited_clicks),
           count(*) FILTER (WHERE a.credited_clicks = b.credited_clicks)
    FROM c a
    JOIN c b ON b.unit_id = a.unit_id AND b.arm <> a.arm
    GROUP BY a.arm, b.arm
$$;
