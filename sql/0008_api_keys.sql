-- API keys for the decision service. A key is `abk_<id>_<secret>`; only the SHA-256 of the
-- whole key is stored, so a database dump does not reveal usable keys. Revoked keys stay
-- for the audit trail.
CREATE TABLE api_keys (
    id          text        PRIMARY KEY,
    secret_hash text        NOT NULL,
    scopes      text[]      NOT NULL CHECK (scopes <@ ARRAY['decide', 'events', 'admin'] AND cardinality(scopes) > 0),
    name        text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
