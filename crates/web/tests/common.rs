//! A fresh database and router per test, with a small unit tree and one user per role.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, Response, header};
use danvan_domain::Role;
use danvan_domain::records::UnitKind;
use danvan_store::{NewUnit, NewUser, Store};
use http_body_util::BodyExt;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

pub struct TestApp {
    pub store: Store,
    pub router: axum::Router,
    pub dir: std::path::PathBuf,
}

static N: AtomicU32 = AtomicU32::new(0);

/// A fresh SQLite database in a temporary folder (the conformance suite runs its scenario on
/// PostgreSQL too, when DANVAN_TEST_PG_URL names a server).
pub async fn fresh_store() -> (Store, std::path::PathBuf) {
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "danvan-test-{}-{n}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = Store::open(&format!("sqlite://{}", dir.join("t.db").display()))
        .await
        .expect("open store");
    (store, dir)
}

/// Each test's folder goes with it (the database and files of a few megabytes each would
/// otherwise pile up in the temporary folder, run after run).
impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl TestApp {
    pub async fn new() -> Self {
        let (store, dir) = fresh_store().await;
        seed(&store).await;
        let config = danvan_web::Config {
            attachments_dir: dir.join("att"),
            secure_cookies: false,
            today_override: chrono::NaiveDate::from_ymd_opt(2026, 11, 28),
        };
        let router = danvan_web::router(store.clone(), config);
        TestApp { store, router, dir }
    }

    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers")
    }

    /// Logs in through the form; returns (cookie header, csrf token).
    pub async fn login(&self, username: &str) -> (String, String) {
        let res = self
            .send(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!(
                        "username={username}&password={PASSWORD}"
                    )))
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status(), 303, "login of {username}");
        let set = res
            .headers()
            .get(header::SET_COOKIE)
            .expect("cookie")
            .to_str()
            .expect("ascii")
            .to_owned();
        let cookie = set.split(';').next().expect("pair").to_owned();
        let raw = cookie.split_once('=').expect("kv").1;
        let csrf = self
            .store
            .session(raw)
            .await
            .expect("session")
            .expect("exists")
            .csrf_token;
        (cookie, csrf)
    }

    pub async fn get(&self, path: &str, cookie: &str) -> (u16, String) {
        let res = self
            .send(
                Request::get(path)
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        let status = res.status().as_u16();
        (status, body_text(res).await)
    }

    pub async fn post_form(
        &self,
        path: &str,
        cookie: &str,
        form: &[(&str, &str)],
    ) -> (u16, String, String) {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let res = self
            .send(
                Request::post(path)
                    .header(header::COOKIE, cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await;
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap_or("").to_owned())
            .unwrap_or_default();
        (status, location, body_text(res).await)
    }

    /// Posts a create form that must succeed (303 to `{path}/{code}…`); returns the new code.
    pub async fn create(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> String {
        let (status, location, body) = self.post_form(path, cookie, form).await;
        assert_eq!(status, 303, "{body}");
        location
            .strip_prefix(&format!("{path}/"))
            .unwrap_or_else(|| panic!("created record's address: {location}"))
            .split('?')
            .next()
            .expect("code")
            .to_owned()
    }

    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        let res = self.send(req.body(body).expect("request")).await;
        let status = res.status().as_u16();
        let text = body_text(res).await;
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx_count(&self.store, table).await
    }
}

pub async fn sqlx_count(store: &Store, table: &str) -> i64 {
    // Tests only: the table name is one of ours.
    let sql = format!("SELECT COUNT(*) FROM {table}");
    danvan_store::testing::scalar(store, &sql).await
}

pub async fn body_text(res: Response<Body>) -> String {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A value percent-encoded for a form body or a query string.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A unit named after its code, without area code or validity.
pub fn new_unit(code: &str, kind: UnitKind, parent: Option<&str>) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: format!("Đơn vị {code}"),
        kind,
        parent_code: parent.map(Into::into),
        area_code: None,
        valid_from: None,
        valid_to: None,
    }
}

/// Province P with committee P-UB (with reception office P-TCD and commune P-XA), and a
/// foreign province Q.
pub async fn seed(store: &Store) {
    let unit = new_unit;
    for u in [
        unit("P", UnitKind::Province, None),
        unit("P-UB", UnitKind::PeoplesCommittee, Some("P")),
        unit("P-TCD", UnitKind::ReceptionOffice, Some("P-UB")),
        unit("P-XA", UnitKind::Commune, Some("P-UB")),
        unit("P-BDV", UnitKind::PartyBoard, Some("P")),
        unit("Q", UnitKind::Province, None),
        unit("Q-UB", UnitKind::PeoplesCommittee, Some("Q")),
    ] {
        store.insert_unit(None, &u).await.expect("unit");
    }
    for (name, unit, role) in [
        ("tiepdan", "P-TCD", Role::ReceptionOfficer),
        ("xuly", "P-UB", Role::PetitionHandler),
        ("chutich", "P-UB", Role::Head),
        ("bandv", "P-BDV", Role::Board),
        ("xem", "P-XA", Role::Viewer),
        ("ngoai", "Q-UB", Role::PetitionHandler),
        ("chutichq", "Q-UB", Role::Head),
        ("admin", "P", Role::Admin),
    ] {
        store
            .create_user(
                None,
                &NewUser {
                    username: name.into(),
                    full_name: format!("Cán bộ {name}"),
                    unit_code: unit.into(),
                    role,
                    password: PASSWORD.into(),
                },
            )
            .await
            .expect("user");
    }
}

pub fn visit_form<'a>(csrf: &'a str, unit: &'a str, id_number: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("unit_code", unit),
        ("visit_date", "15/11/2026"),
        ("kind", "regular"),
        ("receiver_name", "Cán bộ tiếp dân"),
        ("people[0].full_name", "Nguyễn Văn Bình"),
        ("people[0].id_number", id_number),
        ("content", "Tranh chấp ranh giới đất đai với hộ liền kề"),
        ("petition_type", "KN"),
        ("field_code", "DD-TC"),
        ("handling", "accept"),
    ]
}

pub async fn body_bytes(res: Response<Body>) -> Vec<u8> {
    res.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

/// The text of a .docx's main part, with the XML tags removed.
pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document part")
        .read_to_string(&mut xml)
        .expect("utf-8");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Posts a file as the upload forms do (multipart: `_csrf`, then `file`).
pub async fn upload(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, String) {
    let boundary = "----danvan-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = app
        .send(
            Request::post(path)
                .header(header::COOKIE, cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    let status = res.status().as_u16();
    (status, body_text(res).await)
}
