-- danvan schema, SQLite dialect. Dates of legal events are TEXT 'YYYY-MM-DD' (Vietnam time);
-- timestamps are TEXT RFC 3339 UTC. The PostgreSQL file of the same number has the same tables.

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES units(id),
    path TEXT NOT NULL,
    area_code TEXT,
    valid_from TEXT,
    valid_to TEXT,
    successor_id INTEGER REFERENCES units(id),
    uses_danvan INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX units_path ON units(path);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE counters (
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (name, year)
);

-- Lĩnh vực: editable catalogue; narrative_label is the phrase used in the narrative summary.
CREATE TABLE fields (
    code TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES fields(code),
    label TEXT NOT NULL,
    narrative_label TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

-- People hold personal data apart from the records that mention them.
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    id_kind TEXT,
    id_number TEXT,
    birth_year INTEGER,
    address TEXT NOT NULL DEFAULT '',
    area_code TEXT,
    phone TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX people_id_number ON people(id_number);
CREATE INDEX people_name_area ON people(name_key, area_code);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    title TEXT NOT NULL,
    petition_type TEXT NOT NULL,
    field_code TEXT NOT NULL REFERENCES fields(code),
    status TEXT NOT NULL,
    is_group INTEGER NOT NULL DEFAULT 0,
    is_complex INTEGER NOT NULL DEFAULT 0,
    is_prolonged INTEGER NOT NULL DEFAULT 0,
    is_skip_level INTEGER NOT NULL DEFAULT 0,
    is_ethnic INTEGER NOT NULL DEFAULT 0,
    is_religious INTEGER NOT NULL DEFAULT 0,
    opened_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX cases_unit_opened ON cases(unit_id, opened_on);
CREATE INDEX cases_status ON cases(status, opened_on);

CREATE TABLE case_handlers (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, user_id)
);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    visit_date TEXT NOT NULL,
    visit_time TEXT,
    place TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    receiver_name TEXT NOT NULL,
    receiver_user_id INTEGER REFERENCES users(id),
    is_group INTEGER NOT NULL DEFAULT 0,
    headcount INTEGER NOT NULL,
    representatives INTEGER NOT NULL DEFAULT 0,
    content TEXT NOT NULL,
    petition_type TEXT NOT NULL,
    field_code TEXT NOT NULL REFERENCES fields(code),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    first_time INTEGER NOT NULL DEFAULT 1,
    documents TEXT NOT NULL DEFAULT '',
    earlier_handling TEXT NOT NULL DEFAULT '',
    handling TEXT NOT NULL,
    follow_up TEXT NOT NULL DEFAULT '',
    refused INTEGER NOT NULL DEFAULT 0,
    refusal_reason TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX visits_unit_date ON visits(unit_id, visit_date);
CREATE INDEX visits_date ON visits(visit_date);
CREATE INDEX visits_case ON visits(case_id);

CREATE TABLE visit_people (
    visit_id INTEGER NOT NULL REFERENCES visits(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (visit_id, position)
);
CREATE INDEX visit_people_person ON visit_people(person_id);

CREATE TABLE petitions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    arrival_no TEXT NOT NULL DEFAULT '',
    received_date TEXT NOT NULL,
    source TEXT NOT NULL,
    sender_kind TEXT NOT NULL,
    signer_count INTEGER NOT NULL DEFAULT 0,
    sender_person_id INTEGER REFERENCES people(id),
    subject TEXT NOT NULL DEFAULT '',
    subject_unit_id INTEGER REFERENCES units(id),
    petition_type TEXT NOT NULL,
    field_code TEXT NOT NULL REFERENCES fields(code),
    summary TEXT NOT NULL,
    eligible INTEGER,
    eligibility_reason TEXT NOT NULL DEFAULT '',
    competent INTEGER,
    decision TEXT,
    decision_date TEXT,
    target_unit_id INTEGER REFERENCES units(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    visit_id INTEGER REFERENCES visits(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX petitions_unit_date ON petitions(unit_id, received_date);
CREATE INDEX petitions_date ON petitions(received_date);
CREATE INDEX petitions_case ON petitions(case_id);
CREATE INDEX petitions_target ON petitions(target_unit_id);

-- A transfer to a unit that works in danvan lands in its inbox; the reply comes back here.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    from_unit_id INTEGER NOT NULL REFERENCES units(id),
    to_unit_id INTEGER NOT NULL REFERENCES units(id),
    sent_on TEXT NOT NULL,
    status TEXT NOT NULL,
    reply_on TEXT,
    reply_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX transfers_to ON transfers(to_unit_id, status);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    petition_id INTEGER REFERENCES petitions(id),
    visit_id INTEGER REFERENCES visits(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);

-- Lịch tiếp công dân of each head, and whether each day was held.
CREATE TABLE reception_schedule (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    leader_name TEXT NOT NULL,
    scheduled_on TEXT NOT NULL,
    held INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reception_schedule_unit ON reception_schedule(unit_id, scheduled_on);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_code TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
