-- Dân vận coordination (issue 7): joint programmes and their tasks, dialogues and contact
-- visits, situation reports with hotspots, "Dân vận khéo" models with their cycle. Parties,
-- lead and cooperating units are rows of `units`, never names in code.

CREATE TABLE programmes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    year_from INTEGER NOT NULL,
    year_to INTEGER NOT NULL,
    legal_basis TEXT NOT NULL DEFAULT '',
    -- The unit whose reception and petition figures the reviews report (the province).
    scope_unit_id INTEGER NOT NULL REFERENCES units(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE programme_parties (
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (programme_id, unit_id)
);
CREATE INDEX programme_parties_unit ON programme_parties(unit_id);

CREATE TABLE programme_tasks (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    content TEXT NOT NULL,
    lead_unit_id INTEGER NOT NULL REFERENCES units(id),
    starts_on TEXT,
    due_on TEXT NOT NULL,
    recurrence TEXT NOT NULL DEFAULT 'once',
    status TEXT NOT NULL DEFAULT 'planned',
    completed_on TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX programme_tasks_programme ON programme_tasks(programme_id, due_on);
CREATE INDEX programme_tasks_open_due ON programme_tasks(status, due_on);
CREATE INDEX programme_tasks_lead ON programme_tasks(lead_unit_id, status, due_on);

CREATE TABLE task_units (
    task_id INTEGER NOT NULL REFERENCES programme_tasks(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);

CREATE TABLE task_notes (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES programme_tasks(id),
    noted_on TEXT NOT NULL,
    status TEXT,
    note TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX task_notes_task ON task_notes(task_id);

-- A record that proves a task: kind case (target = case code), engagement, situation, model
-- (target = id).
CREATE TABLE task_links (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES programme_tasks(id),
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX task_links_task ON task_links(task_id);
CREATE INDEX task_links_target ON task_links(target_kind, target);

CREATE TABLE engagements (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL,
    counterpart TEXT NOT NULL DEFAULT '',
    occasion TEXT NOT NULL DEFAULT '',
    participants INTEGER NOT NULL DEFAULT 0,
    topics TEXT NOT NULL DEFAULT '',
    gifts TEXT NOT NULL DEFAULT '',
    issues TEXT NOT NULL DEFAULT '',
    conclusions TEXT NOT NULL DEFAULT '',
    follow_up TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX engagements_held ON engagements(held_on);
CREATE INDEX engagements_unit ON engagements(unit_id, held_on);

CREATE TABLE engagement_cases (
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (engagement_id, case_id)
);

-- The topics of situation reports: an editable catalogue.
CREATE TABLE situation_topics (
    code TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO situation_topics (code, label, sort_order) VALUES
    ('dat_dai', 'Đất đai', 1),
    ('ton_giao', 'Tôn giáo', 2),
    ('dan_toc', 'Dân tộc', 3),
    ('an_ninh', 'An ninh, trật tự', 4),
    ('dan_sinh', 'Đời sống, dân sinh', 5),
    ('chinh_sach', 'Thực hiện chính sách', 6);

CREATE TABLE situation_reports (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    level TEXT NOT NULL,
    -- Topic codes, comma-separated (',dat_dai,ton_giao,' so that one LIKE finds a topic).
    topics TEXT NOT NULL DEFAULT '',
    narrative TEXT NOT NULL,
    recommendations TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX situation_reports_period ON situation_reports(period_to, unit_id);
CREATE INDEX situation_reports_unit ON situation_reports(unit_id, period_to);

CREATE TABLE hotspots (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES situation_reports(id),
    -- The unit of the place (commune, district); inside the report's unit subtree.
    unit_id INTEGER NOT NULL REFERENCES units(id),
    area_code TEXT,
    place TEXT NOT NULL,
    since TEXT NOT NULL,
    people INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    measures TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX hotspots_report ON hotspots(report_id);
CREATE INDEX hotspots_unit ON hotspots(unit_id, status);

CREATE TABLE hotspot_cases (
    hotspot_id INTEGER NOT NULL REFERENCES hotspots(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (hotspot_id, case_id)
);

-- The criteria a model is checked against: a per-province checklist the administrator edits.
CREATE TABLE model_criteria (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO model_criteria (label, sort_order) VALUES
    ('Có tên gọi, địa chỉ cụ thể; nội dung thuộc một trong bốn lĩnh vực', 1),
    ('Gắn với sự lãnh đạo của cấp ủy, chính quyền; đã đăng ký với cơ quan phát động', 2),
    ('Phối hợp, huy động được nhiều lực lượng tham gia; lan tỏa, hiệu quả thiết thực', 3),
    ('Được nhân dân đồng tình ủng hộ; giải quyết vấn đề bức xúc hoặc nhiệm vụ chính trị của địa phương', 4),
    ('Được cấp ủy, chính quyền, Mặt trận và đoàn thể ghi nhận', 5),
    ('Bền vững, có khả năng nhân rộng và duy trì', 6);

CREATE TABLE dvk_models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    address TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    year INTEGER NOT NULL,
    period_from INTEGER NOT NULL,
    period_to INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    results TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    -- Criteria met, as ',1,3,4,' (ids of model_criteria).
    criteria_met TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL,
    stage_on TEXT NOT NULL,
    recognised_decision TEXT,
    recognised_on TEXT,
    commend_form TEXT,
    commend_issuer TEXT,
    commend_decision TEXT,
    commended_on TEXT,
    stopped_reason TEXT,
    -- Folded name and address, for the list's text filter.
    search_key TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
-- The newest models of a year, in order; and the counts of a year by field, level, kind
-- and stage for any set of units, read from this index alone.
CREATE INDEX dvk_models_year ON dvk_models(year, id);
CREATE INDEX dvk_models_counts ON dvk_models(year, field, level, kind, stage, unit_id);
CREATE INDEX dvk_models_unit ON dvk_models(unit_id, year);
CREATE INDEX dvk_models_recognised ON dvk_models(recognised_on);
CREATE INDEX dvk_models_commended ON dvk_models(commended_on);
-- A name typed in part is a LIKE '%…%' over the folded keys: this index holds them with what
-- the list reads, so the pass over 100.000 models reads the index, not the rows (37 → 22 ms).
CREATE INDEX dvk_models_key ON dvk_models(search_key, year, field, level, kind, stage, unit_id);

-- A yearly round of recognition or commendation: one decision for many models.
CREATE TABLE model_rounds (
    id INTEGER PRIMARY KEY,
    stage TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    form TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    models INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);

CREATE TABLE model_events (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES dvk_models(id),
    stage TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    round_id INTEGER REFERENCES model_rounds(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX model_events_model ON model_events(model_id);

-- The registers' signals beside the situation reports: group visits and flagged cases of a
-- period, read from small partial indexes instead of every visit and case.
CREATE INDEX visits_group_date ON visits(visit_date) WHERE is_group = 1;
CREATE INDEX cases_flagged ON cases(opened_on)
    WHERE is_complex = 1 OR is_prolonged = 1 OR is_ethnic = 1 OR is_religious = 1;
