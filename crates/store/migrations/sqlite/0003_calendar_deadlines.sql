-- The working-day calendar: dated changes to the week (unit_id 0: the national calendar; a
-- unit's own entries override it), and the week of units that do not work Monday–Friday.
CREATE TABLE calendar_entries (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL DEFAULT 0,
    on_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT '',
    provisional INTEGER NOT NULL DEFAULT 1,
    updated_by INTEGER,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, on_date)
);
CREATE TABLE unit_work_weeks (
    unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    work_week TEXT NOT NULL
);

-- Statutory clocks as data, versioned by the date they took effect.
CREATE TABLE deadline_rules (
    id INTEGER PRIMARY KEY,
    clock TEXT NOT NULL,
    start_event TEXT NOT NULL,
    days INTEGER NOT NULL,
    complex_days INTEGER,
    remote_days INTEGER,
    remote_complex_days INTEGER,
    day_count TEXT NOT NULL,
    roll_forward INTEGER NOT NULL,
    max_extensions INTEGER NOT NULL DEFAULT 0,
    extension_days INTEGER NOT NULL DEFAULT 0,
    basis TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    applies_to_pending INTEGER NOT NULL DEFAULT 0,
    unconfirmed INTEGER NOT NULL DEFAULT 0
);

-- What the clocks of a petition need beyond the register: instance, remoteness, acceptance,
-- result, and the dated events (extension, suspension, resumption).
ALTER TABLE petitions ADD COLUMN instance INTEGER NOT NULL DEFAULT 1;
ALTER TABLE petitions ADD COLUMN is_remote INTEGER NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN accepted_on TEXT;
ALTER TABLE petitions ADD COLUMN result_on TEXT;
ALTER TABLE petitions ADD COLUMN result_note TEXT NOT NULL DEFAULT '';
CREATE TABLE petition_events (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    decision_no TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX petition_events_petition ON petition_events(petition_id);

-- The computed clocks, stored so that a later change of calendar or rules never rewrites them
-- silently: recomputation is an explicit, logged action.
CREATE TABLE clocks (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    clock TEXT NOT NULL,
    started_on TEXT NOT NULL,
    due_on TEXT,
    ended_on TEXT,
    state TEXT NOT NULL,
    explanation TEXT NOT NULL,
    rule_from TEXT NOT NULL,
    -- A hash of what is shown (end, state, explanation): a recomputation compares it instead
    -- of reading every explanation back.
    fingerprint INTEGER NOT NULL DEFAULT 0,
    computed_at TEXT NOT NULL
);
CREATE INDEX clocks_petition ON clocks(petition_id);
CREATE INDEX clocks_unit_state_due ON clocks(unit_id, state, due_on);
CREATE INDEX clocks_state ON clocks(state, petition_id);
