-- The petitions still undecided, by received date. A report's carried-over part counts the
-- petitions received before the period and still undecided: without this index a
-- whole-country report read every earlier petition to find them (at 1M, for none: 533.000
-- index entries on SQLite, 90-180 ms; 178.000 rows on PostgreSQL, 85-110 ms, in each of the
-- form's two statements; at 10M, ten times as many).
CREATE INDEX IF NOT EXISTS petitions_undecided ON petitions(received_date) WHERE decision_date IS NULL;
