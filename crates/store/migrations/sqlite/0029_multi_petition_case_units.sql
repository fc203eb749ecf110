-- The cases that hold several petitions, now with each unit their petitions are in, as on
-- PostgreSQL (its migration 0032 says why): a unit's report joins its petitions to its own
-- units' entries. A petition is found by (its unit, its case).
CREATE TABLE multi_petition_case_units (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (unit_id, case_id)
) WITHOUT ROWID;
INSERT INTO multi_petition_case_units (unit_id, case_id)
    SELECT DISTINCT p.unit_id, p.case_id FROM petitions p JOIN multi_petition_cases m ON m.case_id = p.case_id;
-- Kept per case (`cases::note_petition_cases`).
CREATE INDEX multi_petition_case_units_case ON multi_petition_case_units(case_id);
DROP TABLE multi_petition_cases;
ALTER TABLE multi_petition_case_units RENAME TO multi_petition_cases;
