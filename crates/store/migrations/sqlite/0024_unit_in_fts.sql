-- The record's unit as a token of its full-text row ("danvanunit123", as PostgreSQL's lexeme of
-- migration 0012), in a column of its own, so that a province's search narrows the FTS5 index
-- itself. Before, every match in the country was joined to its record for the unit: a common
-- phrase read about 3.400 of them for a province's 101, a name all of them when the province
-- held fewer. The terms typed are matched in `search_key` only (`search_key : (…)`), so that a
-- short prefix never matches the unit tokens. The token is a generated column of the register,
-- which the external-content index reads when it is rebuilt.

ALTER TABLE petitions ADD COLUMN unit_token TEXT GENERATED ALWAYS AS ('danvanunit' || unit_id) VIRTUAL;
DROP TRIGGER petitions_fts_ai;
DROP TRIGGER petitions_fts_ad;
DROP TRIGGER petitions_fts_au;
DROP TABLE petitions_fts;
CREATE VIRTUAL TABLE petitions_fts USING fts5(search_key, unit_token, content='petitions', content_rowid='id', tokenize='unicode61', prefix='2 3');
CREATE TRIGGER petitions_fts_ai AFTER INSERT ON petitions BEGIN
    INSERT INTO petitions_fts(rowid, search_key, unit_token) VALUES (new.id, new.search_key, new.unit_token);
END;
CREATE TRIGGER petitions_fts_ad AFTER DELETE ON petitions BEGIN
    INSERT INTO petitions_fts(petitions_fts, rowid, search_key, unit_token) VALUES ('delete', old.id, old.search_key, old.unit_token);
END;
CREATE TRIGGER petitions_fts_au AFTER UPDATE OF search_key, unit_id ON petitions BEGIN
    INSERT INTO petitions_fts(petitions_fts, rowid, search_key, unit_token) VALUES ('delete', old.id, old.search_key, old.unit_token);
    INSERT INTO petitions_fts(rowid, search_key, unit_token) VALUES (new.id, new.search_key, new.unit_token);
END;
INSERT INTO petitions_fts(petitions_fts) VALUES ('rebuild');

ALTER TABLE visits ADD COLUMN unit_token TEXT GENERATED ALWAYS AS ('danvanunit' || unit_id) VIRTUAL;
DROP TRIGGER visits_fts_ai;
DROP TRIGGER visits_fts_ad;
DROP TRIGGER visits_fts_au;
DROP TABLE visits_fts;
CREATE VIRTUAL TABLE visits_fts USING fts5(search_key, unit_token, content='visits', content_rowid='id', tokenize='unicode61', prefix='2 3');
CREATE TRIGGER visits_fts_ai AFTER INSERT ON visits BEGIN
    INSERT INTO visits_fts(rowid, search_key, unit_token) VALUES (new.id, new.search_key, new.unit_token);
END;
CREATE TRIGGER visits_fts_ad AFTER DELETE ON visits BEGIN
    INSERT INTO visits_fts(visits_fts, rowid, search_key, unit_token) VALUES ('delete', old.id, old.search_key, old.unit_token);
END;
CREATE TRIGGER visits_fts_au AFTER UPDATE OF search_key, unit_id ON visits BEGIN
    INSERT INTO visits_fts(visits_fts, rowid, search_key, unit_token) VALUES ('delete', old.id, old.search_key, old.unit_token);
    INSERT INTO visits_fts(rowid, search_key, unit_token) VALUES (new.id, new.search_key, new.unit_token);
END;
INSERT INTO visits_fts(visits_fts) VALUES ('rebuild');

ALTER TABLE cases ADD COLUMN unit_token TEXT GENERATED ALWAYS AS ('danvanunit' || unit_id) VIRTUAL;
DROP TRIGGER cases_fts_ai;
DROP TRIGGER cases_fts_ad;
DROP TRIGGER cases_fts_au;
DROP TABLE cases_fts;
CREATE VIRTUAL TABLE cases_fts USING fts5(search_key, unit_token, content='cases', content_rowid='id', tokenize='unicode61', prefix='2 3');
CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, search_key, unit_token) VALUES (new.id, new.search_key, new.unit_token);
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, search_key, unit_token) VALUES ('delete', old.id, old.search_key, old.unit_token);
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF search_key, unit_id ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, search_key, unit_token) VALUES ('delete', old.id, old.search_key, old.unit_token);
    INSERT INTO cases_fts(rowid, search_key, unit_token) VALUES (new.id, new.search_key, new.unit_token);
END;
INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');
