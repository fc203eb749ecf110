-- Register pages filter on the unit (resolved to ids), then on type, field or status, and sort
-- by date: these indexes give both the count and the page's ids from the index alone.
CREATE INDEX visits_unit_field_date ON visits(unit_id, field_code, visit_date);
CREATE INDEX petitions_unit_field_date ON petitions(unit_id, field_code, received_date);
CREATE INDEX petitions_unit_type_field_date ON petitions(unit_id, petition_type, field_code, received_date);
CREATE INDEX cases_unit_status_opened ON cases(unit_id, status, opened_on);
-- The folded search key rides along in the unit/date index, so a text filter scans the
-- narrow index of the user's units instead of fetching every row (measured: 5 ms instead of
-- 30-65 ms over a province's 30.000 petitions). These replace the plain unit/date indexes.
DROP INDEX visits_unit_date;
DROP INDEX petitions_unit_date;
DROP INDEX cases_unit_opened;
CREATE INDEX visits_unit_date_key ON visits(unit_id, visit_date, search_key);
CREATE INDEX petitions_unit_date_key ON petitions(unit_id, received_date, search_key);
CREATE INDEX cases_unit_opened_key ON cases(unit_id, opened_on, search_key);
