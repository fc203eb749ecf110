-- A province's phrase among the newest records reads the scope's rows of the window at once,
-- from `(unit_id, id)`, in heap order (`search::newest_matches`). Migration 0024's
-- `(id) INCLUDE (unit_id)` indexes walked the country's newest ids for them instead, and
-- serve nothing else.
CREATE INDEX IF NOT EXISTS petitions_unit_id ON petitions(unit_id, id);
CREATE INDEX IF NOT EXISTS visits_unit_id ON visits(unit_id, id);
CREATE INDEX IF NOT EXISTS cases_unit_id ON cases(unit_id, id);
DROP INDEX IF EXISTS petitions_id_unit;
DROP INDEX IF EXISTS visits_id_unit;
DROP INDEX IF EXISTS cases_id_unit;
