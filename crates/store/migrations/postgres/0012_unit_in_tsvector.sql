-- The unit of a record is a lexeme of its tsvector ("danvanunit123"), so that a search by a
-- province or a commune restricts the GIN index itself instead of intersecting the country's
-- matches with the unit's rows on the heap (a common phrase for one province: 130 ms).
ALTER TABLE petitions DROP COLUMN search_tsv;
ALTER TABLE petitions ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_key || ' danvanunit' || unit_id::text)) STORED;
CREATE INDEX petitions_search ON petitions USING GIN (search_tsv);
ALTER TABLE visits DROP COLUMN search_tsv;
ALTER TABLE visits ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_key || ' danvanunit' || unit_id::text)) STORED;
CREATE INDEX visits_search ON visits USING GIN (search_tsv);
ALTER TABLE cases DROP COLUMN search_tsv;
ALTER TABLE cases ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_key || ' danvanunit' || unit_id::text)) STORED;
CREATE INDEX cases_search ON cases USING GIN (search_tsv);
