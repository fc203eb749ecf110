-- Duplicate and repeat detection (issue 5). The LSH band keys of each petition's content
-- (crate danvan-similar: 8 bands of 3 MinHash values over pairs of folded syllables), written in
-- the same transaction as the petition; a petition being entered finds the earlier ones that
-- share a key, newest first, then compares their texts exactly.
CREATE TABLE petition_bands (
    band_key INTEGER NOT NULL,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    PRIMARY KEY (band_key, petition_id)
) WITHOUT ROWID;

-- What the officer chose about a suggested related record when entering a petition or a visit:
-- link (to the suggestion's case), duplicate (filed as a duplicate: lưu đơn trùng), dismiss.
-- A choice is undone by stamping it, never by deleting it.
CREATE TABLE related_choices (
    id INTEGER PRIMARY KEY,
    record_kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    other_code TEXT NOT NULL,
    choice TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    chosen_by INTEGER REFERENCES users(id),
    chosen_at TEXT NOT NULL,
    undone_by INTEGER REFERENCES users(id),
    undone_at TEXT
);
CREATE INDEX related_choices_record ON related_choices(record_kind, record_id);
