-- Visits (not refused) and petitions received per unit and month, petitions also per field and
-- decision, kept by triggers in the transaction that writes them: the charts of the dashboard
-- and the report page read a period's whole months from here and only its partial months
-- from the records (`Store::chart_data`). At 10M a province-year's two chart statements read
-- 137.518 petitions and 150.000 visits (150–300 ms each, beside the form). `field_code` and
-- `decision` are '' for visits, and `decision` '' for a petition not yet decided. Inserts are
-- counted once per statement, as `register_counts` are.
CREATE TABLE monthly_counts (
    register TEXT NOT NULL,
    unit_id BIGINT NOT NULL,
    month TEXT NOT NULL,
    field_code TEXT NOT NULL,
    decision TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (register, unit_id, month, field_code, decision)
);
INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
    SELECT 'visits', unit_id, SUBSTR(visit_date, 1, 7), '', '', COUNT(*) FROM visits WHERE refused = 0 GROUP BY 2, 3;
INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
    SELECT 'petitions', unit_id, SUBSTR(received_date, 1, 7), field_code, COALESCE(decision, ''), COUNT(*)
    FROM petitions GROUP BY 2, 3, 4, 5;

CREATE FUNCTION monthly_visits_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
        SELECT 'visits', unit_id, SUBSTR(visit_date, 1, 7), '', '', COUNT(*) FROM added
        WHERE refused = 0 GROUP BY 2, 3 ORDER BY 2, 3
    ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = monthly_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION monthly_visits_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE monthly_counts c SET n = c.n - r.k
        FROM (SELECT unit_id, SUBSTR(visit_date, 1, 7) AS month, COUNT(*) AS k FROM removed
              WHERE refused = 0 GROUP BY 1, 2) r
        WHERE c.register = 'visits' AND c.unit_id = r.unit_id AND c.month = r.month
          AND c.field_code = '' AND c.decision = '';
    RETURN NULL;
END $$;
CREATE FUNCTION monthly_visits_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.refused = 0 THEN
        UPDATE monthly_counts SET n = n - 1
            WHERE register = 'visits' AND unit_id = OLD.unit_id AND month = SUBSTR(OLD.visit_date, 1, 7)
              AND field_code = '' AND decision = '';
    END IF;
    IF NEW.refused = 0 THEN
        INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
            VALUES ('visits', NEW.unit_id, SUBSTR(NEW.visit_date, 1, 7), '', '', 1)
        ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = monthly_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION monthly_petitions_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
        SELECT 'petitions', unit_id, SUBSTR(received_date, 1, 7), field_code, COALESCE(decision, ''), COUNT(*)
        FROM added GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5
    ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = monthly_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION monthly_petitions_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE monthly_counts c SET n = c.n - r.k
        FROM (SELECT unit_id, SUBSTR(received_date, 1, 7) AS month, field_code, COALESCE(decision, '') AS decision,
                     COUNT(*) AS k FROM removed GROUP BY 1, 2, 3, 4) r
        WHERE c.register = 'petitions' AND c.unit_id = r.unit_id AND c.month = r.month
          AND c.field_code = r.field_code AND c.decision = r.decision;
    RETURN NULL;
END $$;
CREATE FUNCTION monthly_petitions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE monthly_counts SET n = n - 1
        WHERE register = 'petitions' AND unit_id = OLD.unit_id AND month = SUBSTR(OLD.received_date, 1, 7)
          AND field_code = OLD.field_code AND decision = COALESCE(OLD.decision, '');
    INSERT INTO monthly_counts (register, unit_id, month, field_code, decision, n)
        VALUES ('petitions', NEW.unit_id, SUBSTR(NEW.received_date, 1, 7), NEW.field_code, COALESCE(NEW.decision, ''), 1)
    ON CONFLICT (register, unit_id, month, field_code, decision) DO UPDATE SET n = monthly_counts.n + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER visits_monthly_ai AFTER INSERT ON visits REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION monthly_visits_added();
CREATE TRIGGER visits_monthly_ad AFTER DELETE ON visits REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION monthly_visits_removed();
CREATE TRIGGER visits_monthly_au AFTER UPDATE OF unit_id, visit_date, refused ON visits
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.visit_date IS DISTINCT FROM NEW.visit_date
                       OR OLD.refused IS DISTINCT FROM NEW.refused)
    EXECUTE FUNCTION monthly_visits_changed();

CREATE TRIGGER petitions_monthly_ai AFTER INSERT ON petitions REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION monthly_petitions_added();
CREATE TRIGGER petitions_monthly_ad AFTER DELETE ON petitions REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION monthly_petitions_removed();
CREATE TRIGGER petitions_monthly_au AFTER UPDATE OF unit_id, received_date, field_code, decision ON petitions
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.received_date IS DISTINCT FROM NEW.received_date
                       OR OLD.field_code IS DISTINCT FROM NEW.field_code OR OLD.decision IS DISTINCT FROM NEW.decision)
    EXECUTE FUNCTION monthly_petitions_changed();
ANALYZE monthly_counts;
