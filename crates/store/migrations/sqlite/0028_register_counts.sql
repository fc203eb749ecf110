-- Each register's records per unit (and, for cases, per status), kept by triggers in the
-- transaction that writes them: a list filtered by nothing but the reader's units (and a
-- case status) takes its total from here instead of counting the scope's rows
-- (`Store::kept_total`). Records are never moved between units or deleted, but the triggers
-- follow both so that the counts cannot drift. `status` is '' for visits and petitions.
CREATE TABLE register_counts (
    register TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (register, unit_id, status)
) WITHOUT ROWID;
INSERT INTO register_counts (register, unit_id, status, n) SELECT 'visits', unit_id, '', COUNT(*) FROM visits GROUP BY unit_id;
INSERT INTO register_counts (register, unit_id, status, n) SELECT 'petitions', unit_id, '', COUNT(*) FROM petitions GROUP BY unit_id;
INSERT INTO register_counts (register, unit_id, status, n) SELECT 'cases', unit_id, status, COUNT(*) FROM cases GROUP BY unit_id, status;

CREATE TRIGGER visits_counted_ai AFTER INSERT ON visits BEGIN
    INSERT INTO register_counts (register, unit_id, status, n) VALUES ('visits', new.unit_id, '', 1)
    ON CONFLICT (register, unit_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER visits_counted_ad AFTER DELETE ON visits BEGIN
    UPDATE register_counts SET n = n - 1 WHERE register = 'visits' AND unit_id = old.unit_id AND status = '';
END;
CREATE TRIGGER visits_counted_au AFTER UPDATE OF unit_id ON visits WHEN old.unit_id <> new.unit_id BEGIN
    UPDATE register_counts SET n = n - 1 WHERE register = 'visits' AND unit_id = old.unit_id AND status = '';
    INSERT INTO register_counts (register, unit_id, status, n) VALUES ('visits', new.unit_id, '', 1)
    ON CONFLICT (register, unit_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER petitions_counted_ai AFTER INSERT ON petitions BEGIN
    INSERT INTO register_counts (register, unit_id, status, n) VALUES ('petitions', new.unit_id, '', 1)
    ON CONFLICT (register, unit_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER petitions_counted_ad AFTER DELETE ON petitions BEGIN
    UPDATE register_counts SET n = n - 1 WHERE register = 'petitions' AND unit_id = old.unit_id AND status = '';
END;
CREATE TRIGGER petitions_counted_au AFTER UPDATE OF unit_id ON petitions WHEN old.unit_id <> new.unit_id BEGIN
    UPDATE register_counts SET n = n - 1 WHERE register = 'petitions' AND unit_id = old.unit_id AND status = '';
    INSERT INTO register_counts (register, unit_id, status, n) VALUES ('petitions', new.unit_id, '', 1)
    ON CONFLICT (register, unit_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER cases_counted_ai AFTER INSERT ON cases BEGIN
    INSERT INTO register_counts (register, unit_id, status, n) VALUES ('cases', new.unit_id, new.status, 1)
    ON CONFLICT (register, unit_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cases_counted_ad AFTER DELETE ON cases BEGIN
    UPDATE register_counts SET n = n - 1 WHERE register = 'cases' AND unit_id = old.unit_id AND status = old.status;
END;
CREATE TRIGGER cases_counted_au AFTER UPDATE OF unit_id, status ON cases
    WHEN old.unit_id <> new.unit_id OR old.status <> new.status BEGIN
    UPDATE register_counts SET n = n - 1 WHERE register = 'cases' AND unit_id = old.unit_id AND status = old.status;
    INSERT INTO register_counts (register, unit_id, status, n) VALUES ('cases', new.unit_id, new.status, 1)
    ON CONFLICT (register, unit_id, status) DO UPDATE SET n = n + 1;
END;
