-- The petitions counted by every value an official form's petition column can read, with each
-- date replaced by the first day of its month ('2026-03-01'): received, decided, and the reply
-- to its transfer. A form over whole months sums these rows instead of reading the petitions
-- (`reports::cube_branches`): a date compared with a period's first or last day compares the
-- same way as its month's first day. At 10M a national year's 4,67 million petitions are
-- 368.923 rows here. NULLs are values of the key (NULLS NOT DISTINCT: an undecided petition
-- has no decision month). Kept in the transaction that writes a petition or its transfer;
-- inserts and deletes of petitions are counted once per statement.
CREATE TABLE petition_month_cube (
    unit_id BIGINT NOT NULL,
    received_date TEXT NOT NULL,
    decision_date TEXT,
    reply_on TEXT,
    sender_kind TEXT NOT NULL,
    petition_type TEXT NOT NULL,
    field_code TEXT NOT NULL,
    decision TEXT,
    eligible BIGINT,
    competent BIGINT,
    earlier_settlement TEXT NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO petition_month_cube
    SELECT p.unit_id, SUBSTR(p.received_date, 1, 7) || '-01', SUBSTR(p.decision_date, 1, 7) || '-01',
           SUBSTR(t.reply_on, 1, 7) || '-01', p.sender_kind, p.petition_type, p.field_code, p.decision,
           p.eligible, p.competent, p.earlier_settlement, COUNT(*)
    FROM petitions p LEFT JOIN transfers t ON t.petition_id = p.id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
CREATE UNIQUE INDEX petition_month_cube_key ON petition_month_cube (unit_id, received_date, decision_date,
    reply_on, sender_kind, petition_type, field_code, decision, eligible, competent, earlier_settlement)
    NULLS NOT DISTINCT;
-- Carried over: received before the period, undecided or decided since.
CREATE INDEX petition_month_cube_decided ON petition_month_cube (decision_date, received_date);

-- One petition's row of the cube, one more (k = 1) or one less (k = -1).
CREATE FUNCTION petition_cube_add(p petitions, reply TEXT, k BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO petition_month_cube VALUES (p.unit_id, SUBSTR(p.received_date, 1, 7) || '-01',
        SUBSTR(p.decision_date, 1, 7) || '-01', SUBSTR(reply, 1, 7) || '-01', p.sender_kind,
        p.petition_type, p.field_code, p.decision, p.eligible, p.competent, p.earlier_settlement, k)
    ON CONFLICT (unit_id, received_date, decision_date, reply_on, sender_kind, petition_type, field_code,
                 decision, eligible, competent, earlier_settlement)
    DO UPDATE SET n = petition_month_cube.n + EXCLUDED.n;
$$;

-- A petition being inserted has no transfer yet (a transfer names an existing petition): no
-- reply month.
CREATE FUNCTION petition_cube_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO petition_month_cube
        SELECT a.unit_id, SUBSTR(a.received_date, 1, 7) || '-01', SUBSTR(a.decision_date, 1, 7) || '-01',
               NULL, a.sender_kind, a.petition_type, a.field_code, a.decision,
               a.eligible, a.competent, a.earlier_settlement, COUNT(*)
        FROM added a
        GROUP BY 1, 2, 3, 5, 6, 7, 8, 9, 10, 11 ORDER BY 1, 2, 3, 5, 6, 7, 8, 9, 10, 11
    ON CONFLICT (unit_id, received_date, decision_date, reply_on, sender_kind, petition_type, field_code,
                 decision, eligible, competent, earlier_settlement)
    DO UPDATE SET n = petition_month_cube.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION petition_cube_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A petition's transfers go before it does (the reference is not cascaded), each taking
    -- its reply off the cube first.
    UPDATE petition_month_cube c SET n = c.n - r.k
        FROM (SELECT a.unit_id, SUBSTR(a.received_date, 1, 7) || '-01' AS received_date,
                     SUBSTR(a.decision_date, 1, 7) || '-01' AS decision_date,
                     SUBSTR(t.reply_on, 1, 7) || '-01' AS reply_on, a.sender_kind, a.petition_type,
                     a.field_code, a.decision, a.eligible, a.competent, a.earlier_settlement, COUNT(*) AS k
              FROM removed a LEFT JOIN transfers t ON t.petition_id = a.id
              GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) r
        WHERE c.received_date = r.received_date AND c.unit_id = r.unit_id
          AND c.decision_date IS NOT DISTINCT FROM r.decision_date AND c.reply_on IS NOT DISTINCT FROM r.reply_on
          AND c.sender_kind = r.sender_kind AND c.petition_type = r.petition_type AND c.field_code = r.field_code
          AND c.decision IS NOT DISTINCT FROM r.decision AND c.eligible IS NOT DISTINCT FROM r.eligible
          AND c.competent IS NOT DISTINCT FROM r.competent AND c.earlier_settlement = r.earlier_settlement;
    RETURN NULL;
END $$;
CREATE FUNCTION petition_cube_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    reply TEXT := (SELECT MAX(t.reply_on) FROM transfers t WHERE t.petition_id = NEW.id);
BEGIN
    PERFORM petition_cube_add(OLD, reply, -1);
    PERFORM petition_cube_add(NEW, reply, 1);
    RETURN NULL;
END $$;
-- A transfer's reply moves its petition's row.
CREATE FUNCTION petition_cube_replied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM petition_cube_add(p, OLD.reply_on, -1) FROM petitions p WHERE p.id = OLD.petition_id;
        PERFORM petition_cube_add(p, NULL, 1) FROM petitions p WHERE p.id = OLD.petition_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM petition_cube_add(p, NULL, -1) FROM petitions p WHERE p.id = NEW.petition_id;
        PERFORM petition_cube_add(p, NEW.reply_on, 1) FROM petitions p WHERE p.id = NEW.petition_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER petitions_cube_ai AFTER INSERT ON petitions REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION petition_cube_added();
CREATE TRIGGER petitions_cube_ad AFTER DELETE ON petitions REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION petition_cube_removed();
CREATE TRIGGER petitions_cube_au AFTER UPDATE OF unit_id, received_date, decision_date, sender_kind,
    petition_type, field_code, decision, eligible, competent, earlier_settlement ON petitions
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.received_date IS DISTINCT FROM NEW.received_date
        OR OLD.decision_date IS DISTINCT FROM NEW.decision_date OR OLD.sender_kind IS DISTINCT FROM NEW.sender_kind
        OR OLD.petition_type IS DISTINCT FROM NEW.petition_type OR OLD.field_code IS DISTINCT FROM NEW.field_code
        OR OLD.decision IS DISTINCT FROM NEW.decision OR OLD.eligible IS DISTINCT FROM NEW.eligible
        OR OLD.competent IS DISTINCT FROM NEW.competent OR OLD.earlier_settlement IS DISTINCT FROM NEW.earlier_settlement)
    EXECUTE FUNCTION petition_cube_changed();
CREATE TRIGGER transfers_cube AFTER INSERT OR DELETE OR UPDATE OF reply_on, petition_id ON transfers
    FOR EACH ROW EXECUTE FUNCTION petition_cube_replied();
ANALYZE petition_month_cube;

-- A whole-country form counts its cases in two parts, by case id modulo 2
-- (`reports::CASE_PARTS`). Without statistics of that expression PostgreSQL takes each part to
-- hold 0,5 % of the entries, not half, and joins them to the petitions one by one: 31 s at
-- 10M instead of 3.
CREATE STATISTICS multi_petition_cases_part ON (case_id % 2) FROM multi_petition_cases;
CREATE STATISTICS petitions_case_part ON (case_id % 2) FROM petitions;
ANALYZE multi_petition_cases;
ANALYZE petitions;
