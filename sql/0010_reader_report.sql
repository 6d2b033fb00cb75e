-- The built-in dashboard shows `abctl report`'s analysis, read as abctl_reader
-- (Sources/Reporting, Sources/Server/Dashboard/ReadOnlyDatabase.swift). The report's cells
-- come from abctl_report_cells (0006), whose CUPED pre-period reads the interactions table;
-- PostgreSQL checks that table's privilege on every call, CUPED or not. The role may read
-- interactions as it already reads impressions and feedback: the same kind of behavioural
-- log, and still read-only.
GRANT SELECT ON interactions TO abctl_reader;
