-- State management of complaints and denunciations (quản lý nhà nước về khiếu nại, tố cáo):
-- the inspections of how units carry out the law, the dissemination and training sessions,
-- and the directing documents a unit issued. Form 06/QLKNTC of TT 06/2025 counts them; the
-- registers hold nothing of the kind. The amounts apply by kind: an inspection's units
-- inspected, units found in breach and people recommended for handling; a session's
-- participants (docs/REPORTS.md). An activity recorded by mistake is removed, not deleted:
-- `removed_at` set, it counts nowhere, and the record of what it said stays.
CREATE TABLE management_activities (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    kind TEXT NOT NULL,
    activity_date TEXT NOT NULL,
    title TEXT NOT NULL,
    units_covered INTEGER NOT NULL DEFAULT 0,
    units_in_breach INTEGER NOT NULL DEFAULT 0,
    people_recommended INTEGER NOT NULL DEFAULT 0,
    participants INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    removed_at TEXT,
    removed_by INTEGER REFERENCES users(id)
);
CREATE INDEX management_activities_unit_date ON management_activities(unit_id, activity_date);
