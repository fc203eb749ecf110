-- An optional second factor for administrators and leaders (TOTP, RFC 6238). The secret is
-- base32; `totp_pending` holds one being enrolled until a first code confirms it;
-- `totp_last_step` refuses a code used twice. A sign-in whose password was right waits in
-- `login_challenges` (5 minutes) for its code.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
