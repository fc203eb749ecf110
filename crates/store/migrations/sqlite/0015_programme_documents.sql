-- A coordination programme's documents (the regulation, the plan, the decisions): files in the
-- same store as a petition's scans, checked and served the same way.
ALTER TABLE attachments ADD COLUMN programme_id INTEGER REFERENCES programmes(id);
CREATE INDEX attachments_programme ON attachments(programme_id);
