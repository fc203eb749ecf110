-- A denouncer who declines the measures protecting them (người tố cáo từ chối biện pháp bảo vệ):
-- recorded with who recorded it and when. It does not unmask anything: the record stays
-- protected in danvan; the waiver is kept as the file's fact.
CREATE TABLE protection_waivers (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    waived_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX protection_waivers_petition ON protection_waivers(petition_id);
