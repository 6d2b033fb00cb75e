-- Every decision the service answers writes one impression, so every index on impressions
-- is paid on the decision path, in PostgreSQL's CPU, once per decision. impressions_by_unit
-- (experiment, unit_id, created_at; 0002) is read by no query: the evaluator, the report,
-- OPE, interleaving, the allocator and the dashboards all select one experiment over a time
-- range (impressions_by_experiment) and group units by hashing. Its random insert position
-- (unit ids arrive in no order) made it the dearest index to keep: about 4 µs of
-- PostgreSQL time per impression, 9.6 µs with it against 5.5 without
-- (scripts/bench-impression-indexes.sh; docs/benchmarks.md, "Decision service"). Dropping
-- the partitioned index drops it on every partition.
DROP INDEX IF EXISTS impressions_by_unit;
