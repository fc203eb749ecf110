//! Users, Argon2id password hashes, database-backed sessions and API tokens. Raw session and
//! API tokens never touch the database: only their SHA-256 is stored.

use crate::{Result, Store, StoreError, audit, now_utc};
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHash};
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::{Actor, Invalid, Role};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub role: String,
    pub active: bool,
    /// Locked by failed sign-ins until this instant (RFC 3339), if it is still ahead.
    pub locked_until: Option<String>,
    /// Signs in with a second factor.
    pub totp: bool,
}

/// A new account. `Debug` leaves the password out.
#[derive(Clone)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub unit_code: String,
    pub role: Role,
    pub password: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("unit_code", &self.unit_code)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A signed-in browser session.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub full_name: String,
    pub csrf_token: String,
}

/// The outcome of a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Ok(i64),
    /// Wrong name or password (the two are not told apart).
    Refused,
    /// Too many wrong passwords: locked until this instant (RFC 3339, UTC).
    Locked {
        until: String,
    },
}

/// An API token as its owner sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub fn hash_token(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// Password policy: at least 10 characters, not only digits.
pub fn check_password(password: &str) -> Result<(), Invalid> {
    if password.chars().count() < 10 {
        return Err(Invalid::one(
            "password",
            "Mật khẩu phải có ít nhất 10 ký tự",
        ));
    }
    if password.chars().all(|c| c.is_ascii_digit()) {
        return Err(Invalid::one(
            "password",
            "Mật khẩu không được chỉ gồm chữ số",
        ));
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("argon2: {e}")))
}

const ACTOR_SQL: &str = "SELECT u.id, u.username, u.role, u.unit_id, un.path, un.kind, u.full_name FROM users u JOIN units un ON un.id = u.unit_id";

fn actor_from_row(r: &sqlx::any::AnyRow) -> Result<(Actor, String)> {
    let role_code: String = r.try_get(2)?;
    let role = Role::parse(&role_code)
        .ok_or_else(|| StoreError::Corrupt(format!("vai trò '{role_code}'")))?;
    let kind: String = r.try_get(5)?;
    Ok((
        Actor {
            user_id: r.try_get(0)?,
            username: r.try_get(1)?,
            role,
            unit_id: r.try_get(3)?,
            unit_path: r.try_get(4)?,
            scope: vec![],
            unit_is_inspectorate: kind == "inspectorate",
        },
        r.try_get(6)?,
    ))
}

impl Store {
    /// Fills the actor's scope: their own subtree and the subtrees of units succeeded by a unit
    /// of it (one query; abolished units point at their successor).
    async fn with_scope(&self, mut actor: Actor) -> Result<Actor> {
        actor.scope = self.scope_of(&actor.unit_path).await?;
        Ok(actor)
    }

    /// A unit's subtree and the subtrees of the units it (or a unit below it) succeeded.
    /// Every request asks it: answers are kept 30 seconds, and forgotten at once when this
    /// process changes a unit (another process's change shows within the 30 seconds; a
    /// succession only ever adds history to a scope).
    pub async fn scope_of(&self, unit_path: &str) -> Result<Vec<String>> {
        if let Ok(cache) = self.scopes.lock()
            && let Some((at, scope)) = cache.get(unit_path)
            && at.elapsed() < std::time::Duration::from_secs(30)
        {
            return Ok(scope.clone());
        }
        let scope = self.scope_of_uncached(unit_path).await?;
        if let Ok(mut cache) = self.scopes.lock() {
            cache.insert(
                unit_path.to_owned(),
                (std::time::Instant::now(), scope.clone()),
            );
        }
        Ok(scope)
    }

    /// Forgets the kept scopes (a unit was added or succeeded).
    pub(crate) fn forget_scopes(&self) {
        if let Ok(mut cache) = self.scopes.lock() {
            cache.clear();
        }
    }

    async fn scope_of_uncached(&self, unit_path: &str) -> Result<Vec<String>> {
        let inherited: Vec<String> = sqlx::query_scalar("SELECT p.path FROM units p JOIN units s ON s.id = p.successor_id WHERE s.path LIKE $1 ORDER BY p.path")
            .bind(crate::subtree(unit_path))
            .fetch_all(&self.pool)
            .await?;
        let mut scope = vec![unit_path.to_owned()];
        for p in inherited {
            if !scope.iter().any(|s| p.starts_with(s.as_str())) {
                scope.push(p);
            }
        }
        Ok(scope)
    }

    pub async fn create_user(&self, actor: Option<i64>, user: &NewUser) -> Result<i64> {
        let username = user.username.trim().to_lowercase();
        if username.len() < 3
            || username.len() > 40
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
        {
            return Err(Invalid::one(
                "username",
                "Tên đăng nhập gồm 3–40 chữ cái không dấu, số, '.', '_' hoặc '-'",
            )
            .into());
        }
        if user.full_name.trim().is_empty() {
            return Err(Invalid::one("full_name", "Chưa nhập họ và tên").into());
        }
        check_password(&user.password)?;
        let hash = hash_password(&user.password)?;
        let mut tx = self.write().await?;
        let unit_id: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
            .bind(user.unit_code.clone())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(unit_id) = unit_id else {
            return Err(Invalid::one("unit_code", "Không có đơn vị này").into());
        };
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username.clone())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(Invalid::one("username", "Tên đăng nhập đã có người dùng").into());
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO users (username, full_name, unit_id, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id")
            .bind(username.clone())
            .bind(user.full_name.trim().to_owned())
            .bind(unit_id)
            .bind(user.role.code())
            .bind(hash)
            .bind(now_utc())
            .fetch_one(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            actor,
            "create",
            "user",
            &username,
            user.role.code(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_password(
        &self,
        actor: Option<i64>,
        username: &str,
        password: &str,
    ) -> Result<()> {
        check_password(password)?;
        let hash = hash_password(password)?;
        let mut tx = self.write().await?;
        let n = sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2")
            .bind(hash)
            .bind(username.to_owned())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        // A new password ends every session of the account.
        sqlx::query(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)",
        )
        .bind(username.to_owned())
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, actor, "passwd", "user", username, "").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let rows = sqlx::query("SELECT u.id, u.username, u.full_name, un.code, un.name, u.role, u.active, CASE WHEN u.locked_until > $1 THEN u.locked_until END, CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END FROM users u JOIN units un ON un.id = u.unit_id ORDER BY un.path, u.username")
            .bind(now_utc())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(UserRow {
                    id: r.try_get(0)?,
                    username: r.try_get(1)?,
                    full_name: r.try_get(2)?,
                    unit_code: r.try_get(3)?,
                    unit_name: r.try_get(4)?,
                    role: r.try_get(5)?,
                    active: r.try_get::<i64, _>(6)? != 0,
                    locked_until: r.try_get(7)?,
                    totp: r.try_get::<i64, _>(8)? != 0,
                })
            })
            .collect()
    }

    /// Checks a sign-in. After `login_max_failures` wrong passwords in a row (default 5) the
    /// account is locked for `login_lock_minutes` (default 15): even the right password is
    /// refused until then or until an administrator unlocks it. The lock is audited.
    pub async fn verify_login(&self, username: &str, password: &str) -> Result<Login> {
        let row = sqlx::query(
            "SELECT id, password_hash, failed_logins, locked_until FROM users WHERE username = $1 AND active = 1",
        )
        .bind(username.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            // Spend the time of a verification anyway, so timing does not reveal the account.
            let _ = hash_password(password);
            return Ok(Login::Refused);
        };
        let id: i64 = row.try_get(0)?;
        let stored: String = row.try_get(1)?;
        let failures: i64 = row.try_get(2)?;
        let now = now_utc();
        if let Some(until) = row.try_get::<Option<String>, _>(3)?
            && until > now
        {
            let _ = hash_password(password);
            return Ok(Login::Locked { until });
        }
        let parsed =
            PasswordHash::new(&stored).map_err(|e| StoreError::Corrupt(format!("argon2: {e}")))?;
        if Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
        {
            if failures > 0 {
                sqlx::query(
                    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
                )
                .bind(id)
                .execute(&self.pool)
                .await?;
            }
            return Ok(Login::Ok(id));
        }
        self.register_failure(id, username).await
    }

    /// Counts a wrong password or second-factor code; at `login_max_failures` in a row the
    /// account is locked for `login_lock_minutes` (audited).
    async fn register_failure(&self, id: i64, username: &str) -> Result<Login> {
        let max = self.setting_i64("login_max_failures", 5).await?.max(1);
        let minutes = self.setting_i64("login_lock_minutes", 15).await?.max(1);
        let mut tx = self.write().await?;
        let n: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if n >= max {
            let until = (chrono::Utc::now() + chrono::Duration::minutes(minutes))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2")
                .bind(until.clone())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                None,
                "lock",
                "user",
                &username.trim().to_lowercase(),
                &format!("{n} lần đăng nhập sai; khóa đến {until}"),
            )
            .await?;
            tx.commit().await?;
            return Ok(Login::Locked { until });
        }
        tx.commit().await?;
        Ok(Login::Refused)
    }

    /// Does this account sign in with a second factor?
    pub async fn needs_totp(&self, user_id: i64) -> Result<bool> {
        let secret: Option<String> =
            sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(secret.is_some())
    }

    /// After a right password, a challenge waiting 5 minutes for the code; returns its raw
    /// token (only the hash is kept).
    pub async fn create_login_challenge(&self, user_id: i64) -> Result<String> {
        let raw = random_token("");
        sqlx::query("INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash_token(&raw))
            .bind(user_id)
            .bind(now_utc())
            .bind((chrono::Utc::now() + chrono::Duration::minutes(5)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .execute(&self.pool)
            .await?;
        Ok(raw)
    }

    /// The second step of a sign-in: the challenge and the authenticator's code. A code is
    /// used once; wrong codes count toward the lockout like wrong passwords.
    pub async fn verify_login_challenge(&self, raw: &str, code: &str) -> Result<Login> {
        let row = sqlx::query("SELECT u.id, u.username, u.totp_secret, u.totp_last_step, u.locked_until FROM login_challenges c JOIN users u ON u.id = c.user_id WHERE c.token_hash = $1 AND c.expires_at > $2 AND u.active = 1")
            .bind(hash_token(raw))
            .bind(now_utc())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(Login::Refused);
        };
        let (id, username): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
        if let Some(until) = row.try_get::<Option<String>, _>(4)?
            && until > now_utc()
        {
            return Ok(Login::Locked { until });
        }
        let secret = row
            .try_get::<Option<String>, _>(2)?
            .and_then(|s| danvan_totp::base32_decode(&s))
            .ok_or_else(|| StoreError::Corrupt("mã bí mật xác thực hai bước".into()))?;
        let last: i64 = row.try_get(3)?;
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        match danvan_totp::verify(&secret, code, now) {
            Some(step) if step as i64 > last => {
                let mut tx = self.write().await?;
                sqlx::query(
                    "UPDATE users SET totp_last_step = $1, failed_logins = 0 WHERE id = $2",
                )
                .bind(step as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM login_challenges WHERE token_hash = $1 OR expires_at < $2",
                )
                .bind(hash_token(raw))
                .bind(now_utc())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Login::Ok(id))
            }
            _ => self.register_failure(id, &username).await,
        }
    }

    /// Starts enrolling a second factor: a new secret, kept pending until a code confirms it.
    /// Returns (base32 secret, otpauth address).
    pub async fn totp_start(&self, actor: &Actor) -> Result<(String, String)> {
        if !matches!(actor.role, Role::Admin | Role::Head | Role::Deputy) {
            return Err(StoreError::Forbidden);
        }
        let mut secret = [0u8; 20];
        rand::thread_rng().fill_bytes(&mut secret);
        let text = danvan_totp::base32_encode(&secret);
        sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
            .bind(text.clone())
            .bind(actor.user_id)
            .execute(&self.pool)
            .await?;
        Ok((
            text,
            danvan_totp::provisioning_uri("danvan", &actor.username, &secret),
        ))
    }

    /// Confirms the pending secret with a first code; from then on sign-in asks for a code.
    pub async fn totp_confirm(&self, actor: &Actor, code: &str) -> Result<()> {
        let pending: Option<String> =
            sqlx::query_scalar("SELECT totp_pending FROM users WHERE id = $1")
                .bind(actor.user_id)
                .fetch_one(&self.pool)
                .await?;
        let secret = pending
            .as_deref()
            .and_then(danvan_totp::base32_decode)
            .ok_or_else(|| Invalid::one("code", "Chưa bắt đầu bật xác thực hai bước"))?;
        let now = chrono::Utc::now().timestamp().max(0) as u64;
        let Some(step) = danvan_totp::verify(&secret, code, now) else {
            return Err(Invalid::one("code", "Mã xác thực không đúng").into());
        };
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 WHERE id = $2")
            .bind(step as i64)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "totp_on",
            "user",
            &actor.username,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns the second factor off: by the user with a current code, or by an administrator
    /// of the user's unit (a lost phone), audited either way.
    pub async fn totp_off(&self, actor: &Actor, username: &str, code: Option<&str>) -> Result<()> {
        let row: Option<(i64, Option<String>, String)> = sqlx::query_as(
            "SELECT u.id, u.totp_secret, un.path FROM users u JOIN units un ON un.id = u.unit_id WHERE u.username = $1",
        )
        .bind(username.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, secret, path)) = row else {
            return Err(StoreError::NotFound);
        };
        match code {
            Some(code) => {
                if id != actor.user_id {
                    return Err(StoreError::Forbidden);
                }
                let secret = secret
                    .as_deref()
                    .and_then(danvan_totp::base32_decode)
                    .ok_or_else(|| Invalid::one("code", "Xác thực hai bước chưa bật"))?;
                let now = chrono::Utc::now().timestamp().max(0) as u64;
                if danvan_totp::verify(&secret, code, now).is_none() {
                    return Err(Invalid::one("code", "Mã xác thực không đúng").into());
                }
            }
            None => {
                if !actor.may(Action::AdministerUnit(RecordRef { unit_path: &path })) {
                    return Err(StoreError::Forbidden);
                }
            }
        }
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "totp_off",
            "user",
            username,
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Unlocks an account locked by failed sign-ins (administrators of its unit), audited.
    pub async fn unlock_user(&self, actor: &Actor, username: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let path: Option<String> = sqlx::query_scalar(
            "SELECT un.path FROM users u JOIN units un ON un.id = u.unit_id WHERE u.username = $1",
        )
        .bind(username.to_owned())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(path) = path else {
            return Err(StoreError::NotFound);
        };
        if !actor.may(Action::AdministerUnit(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = $1")
            .bind(username.to_owned())
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, Some(actor.user_id), "unlock", "user", username, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// `session_idle_minutes` (default 30), cached for a minute.
    async fn session_idle_minutes(&self) -> Result<i64> {
        let cached = *self
            .session_idle
            .lock()
            .map_err(|_| StoreError::Corrupt("khóa bộ nhớ đệm".into()))?;
        if let Some((at, minutes)) = cached
            && at.elapsed() < std::time::Duration::from_secs(60)
        {
            return Ok(minutes);
        }
        let minutes = self.setting_i64("session_idle_minutes", 30).await?.max(1);
        if let Ok(mut slot) = self.session_idle.lock() {
            *slot = Some((std::time::Instant::now(), minutes));
        }
        Ok(minutes)
    }

    pub(crate) async fn setting_i64(&self, key: &str, default: i64) -> Result<i64> {
        Ok(self
            .setting(key)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(default))
    }

    /// Ends every session of a user ("đăng xuất khỏi mọi nơi"), audited.
    pub async fn end_all_sessions(&self, user_id: i64) -> Result<u64> {
        let mut tx = self.write().await?;
        let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        audit::record(
            &mut tx,
            Some(user_id),
            "logout_all",
            "user",
            &user_id.to_string(),
            &format!("{n} phiên"),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The API tokens of a user, newest first (never the tokens themselves: only their hash
    /// is kept).
    pub async fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenRow>> {
        sqlx::query("SELECT id, label, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(TokenRow {
                    id: r.try_get(0)?,
                    label: r.try_get(1)?,
                    created_at: r.try_get(2)?,
                    last_used_at: r.try_get(3)?,
                    revoked_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Revokes one of the user's own API tokens, audited; a revoked token answers 401.
    pub async fn revoke_token(&self, user_id: i64, token_id: i64) -> Result<()> {
        let mut tx = self.write().await?;
        let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(now_utc())
            .bind(token_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(
            &mut tx,
            Some(user_id),
            "revoke",
            "api_token",
            &token_id.to_string(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a session; returns the raw cookie token (only its hash is stored).
    pub async fn create_session(&self, user_id: i64, lifetime: chrono::Duration) -> Result<String> {
        let raw = random_token("");
        let csrf = random_token("");
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(hash_token(&raw))
            .bind(user_id)
            .bind(csrf)
            .bind(now_utc())
            .bind((chrono::Utc::now() + lifetime).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, Some(user_id), "login", "session", "", "").await?;
        tx.commit().await?;
        Ok(raw)
    }

    /// The session of a cookie, if it is still alive: before its absolute end (`expires_at`)
    /// and used within the idle time (`session_idle_minutes`, default 30). Its last use is
    /// written at most once a minute.
    pub async fn session(&self, raw: &str) -> Result<Option<SessionInfo>> {
        let now = chrono::Utc::now();
        let idle = self.session_idle_minutes().await?;
        let stamp = |t: chrono::DateTime<chrono::Utc>| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        };
        // One read: the user, their unit, the session's CSRF token and its last use.
        let row = sqlx::query(
            "SELECT u.id, u.username, u.role, u.unit_id, un.path, un.kind, u.full_name, s.csrf_token, \
             COALESCE(s.last_seen_at, s.created_at) FROM sessions s JOIN users u ON u.id = s.user_id \
             JOIN units un ON un.id = u.unit_id WHERE s.token_hash = $1 AND s.expires_at > $2 \
             AND COALESCE(s.last_seen_at, s.created_at) > $3 AND u.active = 1",
        )
        .bind(hash_token(raw))
        .bind(stamp(now))
        .bind(stamp(now - chrono::Duration::minutes(idle)))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        // The last use is written at most once a minute: a read needs no write lock.
        let last_seen: String = row.try_get(8)?;
        if last_seen < stamp(now - chrono::Duration::minutes(1)) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(stamp(now))
                .bind(hash_token(raw))
                .execute(&self.pool)
                .await?;
        }
        let (actor, full_name) = actor_from_row(&row)?;
        let actor = self.with_scope(actor).await?;
        let csrf: String = row.try_get(7)?;
        Ok(Some(SessionInfo {
            actor,
            full_name,
            csrf_token: csrf,
        }))
    }

    pub async fn delete_session(&self, raw: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(raw))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Issues an API token for a user; the raw token is shown once.
    pub async fn create_token(
        &self,
        actor: Option<i64>,
        username: &str,
        label: &str,
    ) -> Result<String> {
        let raw = random_token("dv_");
        let mut tx = self.write().await?;
        let user_id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username.to_owned())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(user_id) = user_id else {
            return Err(StoreError::NotFound);
        };
        sqlx::query("INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(user_id)
            .bind(hash_token(&raw))
            .bind(label.to_owned())
            .bind(now_utc())
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, actor, "create", "api_token", username, label).await?;
        tx.commit().await?;
        Ok(raw)
    }

    pub async fn token_actor(&self, raw: &str) -> Result<Option<(Actor, String)>> {
        let sql = format!(
            "{ACTOR_SQL} JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash_token(raw))
            .fetch_optional(&self.pool)
            .await?;
        match row.as_ref().map(actor_from_row).transpose()? {
            Some((actor, name)) => {
                // Last use, to the minute (a write per minute per token at most).
                let now = now_utc();
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)")
                    .bind(now.clone())
                    .bind(hash_token(raw))
                    .bind((chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                    .execute(&self.pool)
                    .await?;
                Ok(Some((self.with_scope(actor).await?, name)))
            }
            None => Ok(None),
        }
    }

    pub async fn actor_by_username(&self, username: &str) -> Result<Option<Actor>> {
        let sql = format!("{ACTOR_SQL} WHERE u.username = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(username.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        match row.as_ref().map(actor_from_row).transpose()? {
            Some((actor, _)) => Ok(Some(self.with_scope(actor).await?)),
            None => Ok(None),
        }
    }

    /// A reader of every unit's records without any identity rights (a viewer at every root):
    /// what the command line searches as when no user is named. Masks and omissions apply.
    pub async fn anonymous_reader(&self) -> Result<Actor> {
        let roots: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let (unit_id, unit_path) = roots.first().cloned().unwrap_or((0, "/none/".into()));
        Ok(Actor {
            user_id: 0,
            username: String::new(),
            role: danvan_domain::access::Role::Viewer,
            unit_id,
            unit_path,
            scope: roots.into_iter().map(|(_, p)| p).collect(),
            unit_is_inspectorate: false,
        })
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key.to_owned())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Changes a setting (administrators only), with its audit row.
    pub async fn set_setting(&self, actor: &Actor, key: &str, value: &str) -> Result<()> {
        if !actor.may(Action::Administer) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.write().await?;
        let before: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key.to_owned())
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key.to_owned())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key.to_owned())
            .bind(value.to_owned())
            .execute(&mut *tx)
            .await?;
        let detail = format!("{} → {value}", before.as_deref().unwrap_or("(mặc định)"));
        audit::record(&mut tx, Some(actor.user_id), "set", "setting", key, &detail).await?;
        tx.commit().await?;
        // A changed idle time applies to the next request, not a minute later.
        if let Ok(mut cached) = self.session_idle.lock() {
            *cached = None;
        }
        Ok(())
    }

    /// The group threshold (đoàn đông người), default 5.
    pub async fn group_threshold(&self) -> Result<i64> {
        self.setting_i64("group_threshold", 5).await
    }
}
