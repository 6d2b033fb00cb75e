-- The event log: impressions (logged decisions) and feedback, range-partitioned by day on
-- their time so old data can be detached cheaply and scans touch only the days asked for.
-- A DEFAULT partition catches rows outside the partitions made so far, so no write ever
-- fails for want of a partition; abctl_ensure_partitions moves such rows into the proper
-- partition when it creates it.

CREATE TABLE impressions (
    request_id         uuid        NOT NULL,
    experiment         text        NOT NULL,
    experiment_version integer     NOT NULL,
    arm                text        NOT NULL,
    unit_id            text        NOT NULL,
    item_ids           text[]      NOT NULL,
    scores             double precision[] NOT NULL,
    propensity         double precision NOT NULL CHECK (propensity > 0 AND propensity <= 1),
    allocation_version bigint      NOT NULL,
    context            jsonb       NOT NULL DEFAULT '{}',
    reason             text,                             -- why a default was served, if one was
    created_at         timestamptz NOT NULL,
    PRIMARY KEY (request_id, created_at)
) PARTITION BY RANGE (created_at);

-- The evaluator scans one experiment over a time range, per arm and unit.
CREATE INDEX impressions_by_experiment ON impressions (experiment, created_at);
CREATE INDEX impressions_by_unit ON impressions (experiment, unit_id, created_at);

-- Feedback on impressed items. A client event id makes retries idempotent: a retry of the
-- same event carries the same id and time, so (event_id, created_at) is the key.
CREATE TABLE feedback (
    event_id        text        NOT NULL,
    request_id      uuid        NOT NULL,
    unit_id         text        NOT NULL,
    item_id         text        NOT NULL,
    event_type      text        NOT NULL,
    value           double precision NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, created_at)
) PARTITION BY RANGE (created_at);

-- The evaluator joins feedback to impressions by request id within the attribution window.
CREATE INDEX feedback_by_request ON feedback (request_id, created_at);
CREATE INDEX feedback_by_time ON feedback (created_at);

CREATE TABLE impressions_default PARTITION OF impressions DEFAULT;
CREATE TABLE feedback_default PARTITION OF feedback DEFAULT;

-- Creates the daily partitions of `parent` (impressions or feedback) covering
-- [from_day, from_day + days). Rows already in the DEFAULT partition for a new day are
-- moved into it, in the same transaction, so the partition can be attached.
CREATE FUNCTION abctl_ensure_partitions(parent text, from_day date, days integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    day         date;
    child       text;
    low         timestamptz;
    high        timestamptz;
    created     integer := 0;
BEGIN
    IF parent NOT IN ('impressions', 'feedback') THEN
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

-- Partitions from yesterday to two weeks ahead, in UTC days; `abctl migrate` and the
-- server call this again so the window keeps moving.
SELECT abctl_ensure_partitions('impressions', (now() AT TIME ZONE 'UTC')::date - 1, 16);
SELECT abctl_ensure_partitions('feedback', (now() AT TIME ZONE 'UTC')::date - 1, 16);
