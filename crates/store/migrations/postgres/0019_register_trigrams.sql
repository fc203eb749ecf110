-- The registers' text filters (`LIKE '%…%'` over the folded search key) on PostgreSQL: a word
-- rare across the country is found through these trigram indexes instead of a read of every
-- row of the reader's scope (a word found nowhere in a province: 375 ms at 1M petitions).
-- A common word is still read from the scope's own rows, newest first: the query chooses by
-- asking the statistics of the full-text column first (store::query, `page_of_ids`): the planner, given
-- these indexes, took them for common words too and built a bitmap of the whole country's
-- matches. SQLite needs none: its (unit, date, search_key) covering indexes serve both.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS petitions_key_trgm ON petitions USING GIN (search_key gin_trgm_ops);
CREATE INDEX IF NOT EXISTS visits_key_trgm ON visits USING GIN (search_key gin_trgm_ops);
CREATE INDEX IF NOT EXISTS cases_key_trgm ON cases USING GIN (search_key gin_trgm_ops);
