-- Visits (not refused) and petitions received per unit and month, petitions also per field and
-- decision, kept by triggers in the transaction that writes them, as on PostgreSQL (its
-- migration 0033 says why): the charts read a period's whole months from here.
CREATE TABLE monthly_counts (
    register TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    month TEXT NOT NULL,
    field_code TEXT NOT NULL,
    decision TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (register, unit_id, month, field_code, decision)
) WITHOUT ROWID;
INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
    SELECT 'visits', unit_id, SUBSTR(visit_date, 1, 7), '', '', COUNT(*) FROM visits WHERE refused = 0 GROUP BY 2, 3;
INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
    SELECT 'petitions', unit_id, SUBSTR(received_date, 1, 7), field_code, COALESCE(decision, ''), COUNT(*)
    FROM petitions GROUP BY 2, 3, 4, 5;

CREATE TRIGGER visits_monthly_ai AFTER INSERT ON visits WHEN new.refused = 0 BEGIN
    INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
        VALUES ('visits', new.unit_id, SUBSTR(new.visit_date, 1, 7), '', '', 1)
    ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER visits_monthly_ad AFTER DELETE ON visits WHEN old.refused = 0 BEGIN
    UPDATE monthly_counts SET n = n - 1
        WHERE register = 'visits' AND unit_id = old.unit_id AND month = SUBSTR(old.visit_date, 1, 7)
          AND field_code = '' AND decision = '';
END;
CREATE TRIGGER visits_monthly_au_old AFTER UPDATE OF unit_id, visit_date, refused ON visits
    WHEN old.refused = 0 AND (old.unit_id <> new.unit_id OR old.visit_date <> new.visit_date OR new.refused <> 0) BEGIN
    UPDATE monthly_counts SET n = n - 1
        WHERE register = 'visits' AND unit_id = old.unit_id AND month = SUBSTR(old.visit_date, 1, 7)
          AND field_code = '' AND decision = '';
END;
CREATE TRIGGER visits_monthly_au_new AFTER UPDATE OF unit_id, visit_date, refused ON visits
    WHEN new.refused = 0 AND (old.unit_id <> new.unit_id OR old.visit_date <> new.visit_date OR old.refused <> 0) BEGIN
    INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
        VALUES ('visits', new.unit_id, SUBSTR(new.visit_date, 1, 7), '', '', 1)
    ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER petitions_monthly_ai AFTER INSERT ON petitions BEGIN
    INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
        VALUES ('petitions', new.unit_id, SUBSTR(new.received_date, 1, 7), new.field_code, COALESCE(new.decision, ''), 1)
    ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER petitions_monthly_ad AFTER DELETE ON petitions BEGIN
    UPDATE monthly_counts SET n = n - 1
        WHERE register = 'petitions' AND unit_id = old.unit_id AND month = SUBSTR(old.received_date, 1, 7)
          AND field_code = old.field_code AND decision = COALESCE(old.decision, '');
END;
CREATE TRIGGER petitions_monthly_au AFTER UPDATE OF unit_id, received_date, field_code, decision ON petitions
    WHEN old.unit_id <> new.unit_id OR old.received_date <> new.received_date OR old.field_code <> new.field_code
         OR COALESCE(old.decision, '') <> COALESCE(new.decision, '') BEGIN
    UPDATE monthly_counts SET n = n - 1
        WHERE register = 'petitions' AND unit_id = old.unit_id AND month = SUBSTR(old.received_date, 1, 7)
          AND field_code = old.field_code AND decision = COALESCE(old.decision, '');
    INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
        VALUES ('petitions', new.unit_id, SUBSTR(new.received_date, 1, 7), new.field_code, COALESCE(new.decision, ''), 1)
    ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = n + 1;
END;
