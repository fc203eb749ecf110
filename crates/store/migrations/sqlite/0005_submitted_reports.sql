-- A report as a unit sent it up: the figures frozen as they were, whatever the registers say
-- later. Each submission is kept; the latest is the one in force.
CREATE TABLE submitted_reports (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    form_set TEXT NOT NULL,
    form TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    report_json TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    submitted_at TEXT NOT NULL
);
CREATE INDEX submitted_reports_key ON submitted_reports(unit_id, form, period_from, period_to);
