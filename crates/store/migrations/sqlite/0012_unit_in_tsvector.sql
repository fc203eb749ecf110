-- PostgreSQL only (the unit as a lexeme of the tsvector); SQLite reads a small scope from its
-- (unit, date, search_key) indexes instead. Kept so that both backends number alike.
SELECT 1;
