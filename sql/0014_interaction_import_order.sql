-- A total order for each unit's interactions. occurred_at has ties (MovieLens and most
-- exports keep whole seconds, so a unit often rates several items in one second), and
-- ORDER BY occurred_at alone lets PostgreSQL's sort pick the order of tied rows, which
-- decides which item a leave-last-out split holds out. import_order numbers the rows in the
-- order they were stored: for `abctl import` (one COPY per file) that is the file's order,
-- so a tie goes to the row further down the file, and anyone can reproduce the split with a
-- stable sort of the file by timestamp. Rows already stored are numbered in the order the
-- table is scanned when this migration runs, which is their order of insertion unless rows
-- were updated or deleted since.
ALTER TABLE interactions ADD COLUMN import_order bigint GENERATED ALWAYS AS IDENTITY;
