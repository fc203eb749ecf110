-- The register lists' filter indexes now carry the record's id, so a page's ids come from the
-- index alone. A PostgreSQL b-tree entry points at the row but does not hold its id (SQLite's
-- entries end with the rowid, which is the id), so migration 0002's indexes gave the page's
-- ids only by reading every candidate row: the planner preferred walking the whole scope's
-- (unit, date) entries and filtering the field, 61.645 entries for a province's half-year of
-- one field at 10M (30 ms), against 7.494 entries here (4 ms).
DROP INDEX IF EXISTS visits_unit_field_date;
CREATE INDEX visits_unit_field_date ON visits(unit_id, field_code, visit_date, id);
DROP INDEX IF EXISTS petitions_unit_field_date;
CREATE INDEX petitions_unit_field_date ON petitions(unit_id, field_code, received_date, id);
DROP INDEX IF EXISTS petitions_unit_type_field_date;
CREATE INDEX petitions_unit_type_field_date ON petitions(unit_id, petition_type, field_code, received_date, id);
-- The case list by status walks the status's cases newest first and keeps the scope's: with the
-- unit in the entry, without reading each case (a province's open cases: 94 ms from the table).
DROP INDEX IF EXISTS cases_status;
CREATE INDEX cases_status ON cases(status, opened_on, id) INCLUDE (unit_id);
DROP INDEX IF EXISTS cases_unit_status_opened;
CREATE INDEX cases_unit_status_opened ON cases(unit_id, status, opened_on, id);
