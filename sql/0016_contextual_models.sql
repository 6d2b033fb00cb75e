-- Contextual bandits that serve (issue 22): each decision of a linucb / linear_thompson
-- experiment logs the feature vector it was chosen with and the model version that chose
-- it; a learner folds each decision's reward into per-arm ridge models and writes them here
-- as a new checkpoint version, which every server loads (NOTIFY abctl_experiments).

-- The feature vector used (intercept first, the spec's allocation.features order) and the
-- checkpoint version of the model; both NULL for every other experiment.
ALTER TABLE impressions ADD COLUMN features double precision[], ADD COLUMN model_version bigint;

-- One row per model version of an experiment. Per arm (in `arms` order) the ridge design
-- matrix A (d×d, row-major) and response b (d), concatenated; `updates` counts the rewards
-- each arm has learned. Impressions shown before `data_until` have been learned (the
-- learner's watermark: it moves to now − attribution window, so every learned decision had
-- its whole window to collect feedback).
CREATE TABLE abctl_contextual_models (
    experiment         text        NOT NULL,
    model_version      bigint      NOT NULL CHECK (model_version > 0),
    experiment_version integer     NOT NULL,
    arms               text[]      NOT NULL,
    features           text[]      NOT NULL,
    design             double precision[] NOT NULL,
    response           double precision[] NOT NULL,
    updates            bigint[]    NOT NULL,
    data_until         timestamptz NOT NULL,
    learned            bigint      NOT NULL,   -- decisions folded in by this version
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (experiment, model_version)
);
