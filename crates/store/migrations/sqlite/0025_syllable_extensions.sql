-- The words of the search keys that are longer than a closed syllable they begin with
-- ("camera" after "cam"): almost always none. A prefix typed last that is a closed syllable
-- ("dung", "thanh") and that nothing here extends is matched as a whole word, which finds the
-- same records without the index merging every word it begins (`search_words`). Kept in the
-- transaction of each record; a database that had records before is filled once at start-up.
-- Rows are never removed: a stale one only keeps a prefix a prefix.
CREATE TABLE syllable_extensions (
    syllable TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (syllable, word)
);
