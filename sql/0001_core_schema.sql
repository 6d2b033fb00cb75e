-- abctl core schema: experiments as immutable versions, arms, the full history of
-- allocations, sticky assignments, the item catalogue and training interactions.
-- Impressions and feedback (time-partitioned) are in 0002.

CREATE TABLE experiments (
    name            text        NOT NULL,
    version         integer     NOT NULL CHECK (version >= 1),
    spec            jsonb       NOT NULL,            -- canonical JSON of the validated spec
    source          text        NOT NULL DEFAULT '', -- the YAML as applied, for people
    checksum        text        NOT NULL,            -- of the canonical JSON: unchanged spec = no new version
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL DEFAULT current_user,
    PRIMARY KEY (name, version)
);

-- Status changes (draft, running, paused, stopped) with who and when; the latest row wins.
CREATE TABLE experiment_status (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment      text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('draft', 'running', 'paused', 'stopped')),
    changed_at      timestamptz NOT NULL DEFAULT now(),
    changed_by      text        NOT NULL DEFAULT current_user,
    reason          text        NOT NULL DEFAULT ''
);
CREATE INDEX experiment_status_latest ON experiment_status (experiment, changed_at DESC, id DESC);

CREATE TABLE arms (
    experiment      text        NOT NULL,
    version         integer     NOT NULL,
    arm             text        NOT NULL,
    strategy        text        NOT NULL,
    params          jsonb       NOT NULL DEFAULT '{}',
    is_control      boolean     NOT NULL DEFAULT false,
    initial_weight  double precision NOT NULL CHECK (initial_weight >= 0 AND initial_weight <= 1),
    PRIMARY KEY (experiment, version, arm),
    FOREIGN KEY (experiment, version) REFERENCES experiments (name, version)
);

-- Every change of weights is a new row: history is never overwritten.
CREATE TABLE allocations (
    experiment      text        NOT NULL,
    allocation_version bigint   NOT NULL CHECK (allocation_version >= 1),
    experiment_version integer  NOT NULL,
    weights         jsonb       NOT NULL,            -- {"arm": weight, …}, summing to 1
    policy          text        NOT NULL,            -- fixed, thompson, ucb1, …
    statistics      jsonb       NOT NULL DEFAULT '{}', -- the per-arm statistics that produced it
    effective_from  timestamptz NOT NULL DEFAULT now(),
    created_by      text        NOT NULL DEFAULT current_user,
    PRIMARY KEY (experiment, allocation_version),
    FOREIGN KEY (experiment, experiment_version) REFERENCES experiments (name, version)
);
CREATE INDEX allocations_in_force ON allocations (experiment, effective_from DESC);

-- Sticky mode: a unit keeps its first arm when weights change.
CREATE TABLE unit_assignments (
    experiment      text        NOT NULL,
    unit_id         text        NOT NULL,
    arm             text        NOT NULL,
    assigned_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment, unit_id)
);

CREATE TABLE items (
    item_id         text        PRIMARY KEY,
    title           text        NOT NULL DEFAULT '',
    body            text        NOT NULL DEFAULT '',  -- free text for content-based strategies
    attributes      jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Training data: what units did with items, imported or copied from feedback.
CREATE TABLE interactions (
    unit_id         text        NOT NULL,
    item_id         text        NOT NULL,
    event_type      text        NOT NULL,
    value           double precision NOT NULL DEFAULT 1,
    occurred_at     timestamptz NOT NULL,
    session_id      text
);
CREATE INDEX interactions_by_unit ON interactions (unit_id, occurred_at);
CREATE INDEX interactions_by_time ON interactions (occurred_at);
