-- Full-text search (issue 5) over the folded search keys the registers already keep (no marks,
-- đ → d, lower case; protected names never enter them). One FTS5 index per register, with the
-- register as its external content, kept by triggers in the same transaction as the record.
-- Prefix indexes of 2 and 3 characters serve names and codes typed in part.
CREATE VIRTUAL TABLE petitions_fts USING fts5(search_key, content='petitions', content_rowid='id', tokenize='unicode61', prefix='2 3');
CREATE TRIGGER petitions_fts_ai AFTER INSERT ON petitions BEGIN
    INSERT INTO petitions_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER petitions_fts_ad AFTER DELETE ON petitions BEGIN
    INSERT INTO petitions_fts(petitions_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER petitions_fts_au AFTER UPDATE OF search_key ON petitions BEGIN
    INSERT INTO petitions_fts(petitions_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO petitions_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO petitions_fts(petitions_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE visits_fts USING fts5(search_key, content='visits', content_rowid='id', tokenize='unicode61', prefix='2 3');
CREATE TRIGGER visits_fts_ai AFTER INSERT ON visits BEGIN
    INSERT INTO visits_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER visits_fts_ad AFTER DELETE ON visits BEGIN
    INSERT INTO visits_fts(visits_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER visits_fts_au AFTER UPDATE OF search_key ON visits BEGIN
    INSERT INTO visits_fts(visits_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO visits_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO visits_fts(visits_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE cases_fts USING fts5(search_key, content='cases', content_rowid='id', tokenize='unicode61', prefix='2 3');
CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF search_key ON cases BEGIN
    INSERT INTO cases_fts(cases_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO cases_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');
