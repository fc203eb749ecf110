-- Register pages filter on the unit (resolved to ids), then on type, field or status, and sort
-- by date: these indexes give both the count and the page's ids from the index alone.
-- (SQLite also carries the search key in its unit/date indexes; a PostgreSQL b-tree entry is
-- limited to about 2.7 kB, so the text filter here waits for the full-text index.)
CREATE INDEX visits_unit_field_date ON visits(unit_id, field_code, visit_date);
CREATE INDEX petitions_unit_field_date ON petitions(unit_id, field_code, received_date);
CREATE INDEX petitions_unit_type_field_date ON petitions(unit_id, petition_type, field_code, received_date);
CREATE INDEX cases_unit_status_opened ON cases(unit_id, status, opened_on);
