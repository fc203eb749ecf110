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

-- The letters the handling of a petition or a visit needs (giấy biên nhận, thông báo thụ lý,
-- phiếu chuyển đơn…): drafted from the record, edited, then issued with a number and a date,
-- after which they no longer change. Kept on the case.
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    petition_id INTEGER REFERENCES petitions(id),
    visit_id INTEGER REFERENCES visits(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    number TEXT,
    issued_on TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    signer_name TEXT NOT NULL DEFAULT '',
    -- The body names a protected person (a denouncer; a citizen at reception since 1/7/2026):
    -- only those who may see that identity may read the letter.
    protected_identity INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX letters_case ON letters(case_id);
