//! Every route of the router, for every role: the expected allow/deny matrix is written below,
//! and a route missing from it fails the test.
//!
//! The routes are read from the router's source (`src/lib.rs`, `src/api.rs`,
//! `src/api_coordination.rs`), so a new route without a line here fails. A route that names a
//! record is tried on a record of province P (the own unit of P's users) and on one of province
//! Q (theirs foreign, and the own unit of Q's users). A request is *allowed* when the answer is
//! neither 401, 403 nor 404 (an empty form then gets its 400/422: the rule let it through to
//! the checks), *denied* when it is one of those; a 5xx fails the test whatever the rule.

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::*;
use std::collections::{BTreeMap, BTreeSet};

/// Users of the fixture, by role: P's reception officer, handler, head, mass-mobilisation
/// board, a commune viewer and the province administrator; Q's handler and head.
const USERS: [&str; 8] = [
    "tiepdan", "xuly", "chutich", "bandv", "xem", "admin", "ngoai", "chutichq",
];

/// Who is allowed, by rule: (on P's record or without a record, on Q's record).
const RULES: &[(&str, &str, &str)] = &[
    ("public", "*", "*"),
    ("signed", "*", "*"),
    ("admin", "admin", "admin"),
    // Managing accounts and units of one's subtree: P's accounts by P's administrator.
    ("admin-unit", "admin", ""),
    (
        "leaders-audit",
        "chutich admin chutichq",
        "chutich admin chutichq",
    ),
    // Reading a visit of P's reception office / of Q's committee.
    ("visit", "tiepdan xuly chutich admin", "ngoai chutichq"),
    // Reading a petition, its case, its files and letters (P's committee / Q's committee).
    ("petition", "xuly chutich admin", "ngoai chutichq"),
    // Handling it: the handlers, heads and administrators of its unit.
    ("handle", "xuly chutich admin", "ngoai chutichq"),
    // What only those who may see a denouncer may do (the fixture's petition is a complaint:
    // the redacted copy and the waiver are refused to everyone; tests/security.rs tries them
    // on a denunciation).
    ("identity", "", ""),
    // Assigning handlers to a case: heads, deputies and administrators of its unit.
    ("assign", "chutich admin", "chutichq"),
    // A visit recorded at the unit of the form: those who may record one somewhere.
    (
        "record-visit",
        "tiepdan chutich admin chutichq",
        "tiepdan chutich admin chutichq",
    ),
    (
        "handle-any",
        "xuly chutich admin ngoai chutichq",
        "xuly chutich admin ngoai chutichq",
    ),
    // Coordination of P (programme between P's board and committee, and P's records) / Q.
    ("coord-view", "xuly chutich bandv admin", "ngoai chutichq"),
    ("coord-write", "xuly chutich bandv admin", "ngoai chutichq"),
    ("coord-assess", "chutich bandv admin", "chutichq"),
    // P's model is registered by the commune below the committee: its viewer reads it too.
    (
        "model-view",
        "xuly chutich bandv xem admin",
        "ngoai chutichq",
    ),
    // A person page: those who may see the citizen's records.
    ("person", "xuly chutich admin", "ngoai chutichq"),
    // Calendar entries and work weeks: administrators.
    ("calendar-admin", "admin", "admin"),
    // Schedules: leaders, reception officers and administrators of the unit.
    (
        "schedule",
        "tiepdan chutich admin chutichq",
        "tiepdan chutich admin chutichq",
    ),
    ("schedule-mark", "chutich admin", "chutichq"),
    // Reports of the user's scope: everyone signed in reads their own scope's forms.
    // Nothing there for anyone (an id that does not exist).
    ("none", "", ""),
];

/// The matrix: each route of the router and its rule.
const MATRIX: &str = r#"
GET  /healthz                                  public
GET  /static/htmx.min.js                       public
GET  /static/app.css                           public
GET  /login                                    public
POST /login                                    public
POST /login/totp                               public
POST /logout                                   signed
GET  /                                         signed
GET  /visits                                   signed
POST /visits                                   record-visit
GET  /visits/new                               record-visit
GET  /visits/{code}                            visit
GET  /visits/{code}/receipt                    visit
GET  /petitions                                signed
POST /petitions                                handle-any
GET  /petitions/new                            signed
GET  /petitions/{code}                         petition
POST /petitions/{code}/reply                   handle
GET  /petitions/{code}/redacted.docx           identity
POST /petitions/{code}/waiver                  identity
POST /petitions/{code}/attachments             handle
GET  /attachments/{id}                         petition
POST /petitions/{code}/events                  handle
GET  /deadlines                                signed
POST /deadlines/recompute                      admin
GET  /calendar                                 signed
POST /calendar/entries                         calendar-admin
POST /calendar/entries/{date}/delete           calendar-admin
POST /calendar/import                          calendar-admin
POST /calendar/work-week                       calendar-admin
GET  /admin/rules                              admin
POST /admin/rules/{id}                         admin
GET  /people/lookup                            signed
GET  /people/{id}                              person
GET  /inbox                                    signed
GET  /cases                                    signed
GET  /cases/{code}                             petition
POST /cases/{code}                             handle
POST /cases/{code}/handlers                    assign
GET  /units                                    signed
GET  /schedule                                 signed
POST /schedule                                 schedule
POST /schedule/{id}                            schedule-mark
GET  /management                               signed
POST /management                               signed
POST /management/{id}/remove                   handle
GET  /summary                                  signed
GET  /search                                   signed
GET  /related                                  signed
POST /petitions/{code}/related/{id}/undo       none
GET  /reports                                  signed
GET  /reports/records                          petition
POST /reports/submit                           assign
POST /letters                                  signed
GET  /letters/{id}                             petition
POST /letters/{id}                             handle
GET  /letters/{id}/docx                        petition
GET  /programmes                               signed
POST /programmes                               signed
GET  /programmes/{id}                          coord-view
POST /programmes/{id}/tasks                    coord-write
POST /programmes/{id}/documents                coord-write
GET  /programmes/{id}/review                   coord-view
GET  /programmes/{id}/review.docx              coord-view
GET  /tasks/{id}                               coord-view
POST /tasks/{id}                               coord-write
POST /tasks/{id}/links                         coord-write
GET  /engagements                              signed
POST /engagements                              signed
GET  /engagements/{id}                         coord-view
GET  /situation                                signed
POST /situation/reports                        signed
GET  /situation/reports/{id}                   coord-view
POST /situation/reports/{id}/hotspots          coord-write
POST /hotspots/{id}                            coord-write
GET  /models                                   signed
POST /models                                   signed
POST /models/round                             signed
GET  /models/{id}                              model-view
POST /models/{id}/stage                        coord-write
POST /models/{id}/criteria                     coord-assess
GET  /admin/audit                              leaders-audit
GET  /admin                                    admin
POST /admin/settings                           admin
POST /admin/fields                             admin
POST /admin/fields/{code}                      admin
POST /admin/users                              admin
POST /admin/users/{username}/password          admin-unit
POST /admin/units                              admin
POST /admin/users/{username}/unlock            admin-unit
GET  /account                                  signed
POST /account/tokens                           signed
POST /account/tokens/{id}/revoke               none
POST /account/logout-all                       signed
POST /account/totp/start                       leaders-audit
POST /account/totp/{action}                    signed
POST /admin/users/{username}/totp-reset        admin-unit
POST /admin/situation-topics                   admin
POST /admin/model-criteria                     admin
GET  /api/v1/openapi.json                      public
GET  /api/v1/units                             signed
GET  /api/v1/fields                            signed
GET  /api/v1/users                             admin
GET  /api/v1/visits                            signed
POST /api/v1/visits                            signed
GET  /api/v1/visits/{code}                     visit
GET  /api/v1/petitions                         signed
POST /api/v1/petitions                         signed
GET  /api/v1/petitions/{code}                  petition
GET  /api/v1/cases                             signed
GET  /api/v1/cases/{code}                      petition
GET  /api/v1/summary                           signed
GET  /api/v1/reports                           signed
GET  /api/v1/management-activities             signed
POST /api/v1/management-activities             signed
GET  /api/v1/search                            signed
GET  /api/v1/related                           signed
GET  /api/v1/cases/{code}/letters              petition
POST /api/v1/letters                           signed
GET  /api/v1/letters/{id}                      petition
POST /api/v1/letters/{id}                      handle
GET  /api/v1/letters/{id}/docx                 petition
GET  /api/v1/programmes                        signed
POST /api/v1/programmes                        signed
GET  /api/v1/programmes/{id}                   coord-view
POST /api/v1/programmes/{id}/tasks             coord-write
GET  /api/v1/programmes/{id}/review            coord-view
GET  /api/v1/tasks/{id}                        coord-view
POST /api/v1/tasks/{id}                        coord-write
GET  /api/v1/engagements                       signed
POST /api/v1/engagements                       signed
GET  /api/v1/engagements/{id}                  coord-view
GET  /api/v1/situation                         signed
GET  /api/v1/situation/reports                 signed
POST /api/v1/situation/reports                 signed
GET  /api/v1/situation/reports/{id}            coord-view
POST /api/v1/situation/reports/{id}/hotspots   coord-write
GET  /api/v1/models                            signed
POST /api/v1/models                            signed
POST /api/v1/models/round                      signed
GET  /api/v1/models/{id}                       model-view
POST /api/v1/models/{id}/stage                 coord-write
"#;

/// The routes the router declares, read from its source.
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (file, prefix) in [
        (include_str!("../src/lib.rs"), ""),
        (include_str!("../src/api.rs"), "/api/v1"),
        (include_str!("../src/api_coordination.rs"), "/api/v1"),
    ] {
        for part in file.split(".route(").skip(1) {
            let part = [
                ".route(",
                ".nest(",
                ".fallback(",
                ".merge(",
                ".layer(axum::middleware",
            ]
            .iter()
            .filter_map(|m| part.find(m))
            .min()
            .map_or(part, |end| &part[..end]);
            let path = part.split('"').nth(1).expect("a path literal");
            for method in ["get", "post"] {
                if part.contains(&format!("{method}(")) {
                    out.insert((method.to_uppercase(), format!("{prefix}{path}")));
                }
            }
        }
    }
    out
}

struct Side {
    visit: String,
    petition: String,
    case: String,
    attachment: i64,
    letter: i64,
    person: i64,
    programme: i64,
    task: i64,
    engagement: i64,
    report: i64,
    hotspot: i64,
    model: i64,
    schedule: i64,
    activity: i64,
    username: &'static str,
}

impl Side {
    fn fill(&self, path: &str) -> String {
        let id = |p: &str| -> String {
            let v = match p {
                _ if path.starts_with("/attachments") => self.attachment,
                _ if path.contains("/letters/") => self.letter,
                _ if path.starts_with("/people") => self.person,
                _ if path.contains("/programmes") => self.programme,
                _ if path.contains("/tasks/") && !path.starts_with("/account") => self.task,
                _ if path.contains("/engagements") => self.engagement,
                _ if path.contains("/situation/reports") => self.report,
                _ if path.starts_with("/hotspots") => self.hotspot,
                _ if path.contains("/models") => self.model,
                _ if path.starts_with("/schedule") => self.schedule,
                _ if path.starts_with("/management") => self.activity,
                _ if path.starts_with("/admin/rules") => 1,
                _ => 999_999,
            };
            v.to_string()
        };
        let code = if path.contains("/visits/") {
            self.visit.clone()
        } else if path.contains("/cases/") {
            self.case.clone()
        } else if path.starts_with("/admin/fields") {
            "DD-TC".into()
        } else {
            self.petition.clone()
        };
        path.replace("{code}", &code)
            .replace("{id}", &id(path))
            .replace("{date}", "2026-12-31")
            .replace("{action}", "confirm")
            .replace("{username}", self.username)
    }
}

/// What a route needs besides its path to reach its rule: (query string, form fields); a
/// `{unit}` in them makes the route one of a record (P's committee, or Q's).
fn extra(path: &str) -> (&'static str, &'static str) {
    match path {
        "/reports/records" => (
            "set=TT06-2025&form=02-XLD&col=1&from=2026-01-01&to=2026-11-30&row={unit}",
            "",
        ),
        "/reports/submit" => (
            "",
            "&set=TT06-2025&form=02-XLD&unit={unit}&from=2026-01-01&to=2026-11-30",
        ),
        p if p.ends_with("/review") || p.ends_with("/review.docx") => {
            ("from=2026-01-01&to=2026-06-30", "")
        }
        _ => ("", ""),
    }
}

async fn pdf(app: &TestApp, cookie: &str, csrf: &str, code: &str) -> i64 {
    let (status, _) = upload(
        app,
        cookie,
        csrf,
        &format!("/petitions/{code}/attachments"),
        "don.pdf",
        b"%PDF-1.4\n%%EOF\n",
    )
    .await;
    assert_eq!(status, 303);
    danvan_store::testing::scalar(&app.store, "SELECT MAX(id) FROM attachments").await
}

/// A visit, a petition with its case, file and letter, a schedule day, and the coordination
/// records of one province.
async fn side(app: &TestApp, p: bool) -> Side {
    use danvan_domain::coordination::*;
    let (recv, handler, head, board_unit, party, commune) = if p {
        ("tiepdan", "xuly", "chutich", "P-BDV", "P-UB", "P-XA")
    } else {
        ("chutichq", "ngoai", "chutichq", "Q-UB", "Q-UB", "Q-UB")
    };
    let (cookie, csrf) = app.login(recv).await;
    let unit = if p { "P-TCD" } else { "Q-UB" };
    let id_number = if p { "060085001234" } else { "060085009999" };
    let (status, location, body) = app
        .post_form("/visits", &cookie, &visit_form(&csrf, unit, id_number))
        .await;
    assert_eq!(status, 303, "{body}");
    let visit = location
        .trim_start_matches("/visits/")
        .split('?')
        .next()
        .expect("code")
        .to_owned();
    let (cookie, csrf) = app.login(handler).await;
    let petition = app
        .create(
            "/petitions",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("unit_code", if p { "P-UB" } else { "Q-UB" }),
                ("received_date", "10/11/2026"),
                ("source", "post"),
                ("sender_kind", "one"),
                ("sender.full_name", "Trần Văn Gửi"),
                (
                    "sender.id_number",
                    if p { "060085001111" } else { "060085002222" },
                ),
                ("petition_type", "KN"),
                ("field_code", "DD-TC"),
                ("summary", "Khiếu nại về bồi thường"),
            ],
        )
        .await;
    let scalar = |sql: String| {
        let store = app.store.clone();
        async move { danvan_store::testing::scalar(&store, &sql).await }
    };
    let case = danvan_store::testing::texts(
        &app.store,
        &format!("SELECT c.code FROM petitions p JOIN cases c ON c.id = p.case_id WHERE p.code = '{petition}'"),
    )
    .await
    .remove(0);
    let person = scalar(format!(
        "SELECT sender_person_id FROM petitions WHERE code = '{petition}'"
    ))
    .await;
    let attachment = pdf(app, &cookie, &csrf, &petition).await;
    let (status, _, _) = app
        .post_form(
            "/letters",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("kind", "accept_notice"),
                ("code", &petition),
            ],
        )
        .await;
    assert!(status == 303 || status == 200, "letter drafted: {status}");
    let letter = scalar("SELECT MAX(id) FROM letters".into()).await;
    let (cookie, csrf) = app.login(head).await;
    let (status, _, _) = app
        .post_form(
            "/schedule",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("unit_code", party),
                ("leader_name", "Chủ tịch"),
                ("scheduled_on", "15/12/2026"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let schedule = scalar("SELECT MAX(id) FROM reception_schedule".into()).await;
    let (status, _, body) = app
        .post_form(
            "/management",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("unit", party),
                ("kind", "inspection"),
                ("activity_date", "20/11/2026"),
                ("title", "Kiểm tra trách nhiệm tiếp công dân"),
                ("units_covered", "2"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let activity = scalar("SELECT MAX(id) FROM management_activities".into()).await;

    let writer = app
        .store
        .actor_by_username(if p { "bandv" } else { "chutichq" })
        .await
        .expect("ok")
        .expect("actor");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
    let programme = app
        .store
        .create_programme(
            &writer,
            &ProgrammeDraft {
                title: "Chương trình phối hợp".into(),
                year_from: 2026,
                year_to: 2026,
                legal_basis: String::new(),
                parties: vec![
                    board_unit.into(),
                    party.into(),
                    if p { "P".into() } else { "Q".into() },
                ],
                scope_unit: if p { "P".into() } else { "Q-UB".into() },
            },
        )
        .await
        .expect("programme");
    let task = app
        .store
        .add_task(
            &writer,
            programme,
            &TaskDraft {
                content: "Nhiệm vụ".into(),
                lead_unit: party.into(),
                due_on: "2026-12-31".into(),
                ..Default::default()
            },
        )
        .await
        .expect("task");
    let engagement = app
        .store
        .create_engagement(
            &writer,
            &EngagementDraft {
                kind: "dialogue".into(),
                unit: party.into(),
                held_on: "2026-10-01".into(),
                host: "Chủ tịch".into(),
                ..Default::default()
            },
            today,
        )
        .await
        .expect("engagement");
    let report = app
        .store
        .create_situation(
            &writer,
            &SituationDraft {
                unit: party.into(),
                period_from: "2026-10-01".into(),
                period_to: "2026-10-31".into(),
                level: "signs".into(),
                narrative: "Tình hình".into(),
                ..Default::default()
            },
        )
        .await
        .expect("report");
    let hotspot = app
        .store
        .add_hotspot(
            &writer,
            report,
            &HotspotDraft {
                area_unit: if p { "P-UB".into() } else { "Q-UB".into() },
                place: "Thôn 1".into(),
                since: "2026-10-05".into(),
                ..Default::default()
            },
            today,
        )
        .await
        .expect("hotspot");
    let model = app
        .store
        .register_model(
            &writer,
            &ModelDraft {
                name: "Mô hình".into(),
                unit: commune.into(),
                field: "kt".into(),
                kind: "collective".into(),
                level: "commune".into(),
                registered_on: "2026-02-01".into(),
                period_from: 2026,
                period_to: 2026,
                ..Default::default()
            },
            today,
        )
        .await
        .expect("model");
    Side {
        visit,
        petition,
        case,
        attachment,
        letter,
        person,
        programme,
        task,
        engagement,
        report,
        hotspot,
        model,
        schedule,
        activity,
        username: if p { "xuly" } else { "ngoai" },
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let app = TestApp::new().await;
    let matrix: BTreeMap<(String, String), &str> = MATRIX
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            ((cols[0].to_owned(), cols[1].to_owned()), cols[2])
        })
        .collect();
    let declared = declared_routes();
    assert!(
        declared.len() > 100,
        "routes read from the source: {}",
        declared.len()
    );
    let listed: BTreeSet<(String, String)> = matrix.keys().cloned().collect();
    let missing: Vec<_> = declared.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "routes without a line in the matrix: {missing:?}"
    );
    let stale: Vec<_> = matrix.keys().filter(|k| !declared.contains(*k)).collect();
    assert!(
        stale.is_empty(),
        "matrix lines for routes that no longer exist: {stale:?}"
    );
    let rules: BTreeMap<&str, (&str, &str)> =
        RULES.iter().map(|(n, p, q)| (*n, (*p, *q))).collect();
    for rule in matrix.values() {
        assert!(rules.contains_key(rule), "unknown rule {rule}");
    }

    let sides = [side(&app, true).await, side(&app, false).await];
    let (admin, admin_csrf) = app.login("admin").await;
    let (status, _, body) = app
        .post_form(
            "/calendar/entries",
            &admin,
            &[
                ("_csrf", &admin_csrf),
                ("date", "31/12/2026"),
                ("kind", "off"),
                ("name", "Ngày nghỉ thử"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let mut sessions: BTreeMap<&str, (String, String)> = BTreeMap::new();
    let mut tokens: BTreeMap<&str, String> = BTreeMap::new();
    for user in USERS {
        sessions.insert(user, app.login(user).await);
        tokens.insert(
            user,
            app.store
                .create_token(None, user, "matrix")
                .await
                .expect("token"),
        );
    }
    let mut wrong = vec![];
    let (mut tried, mut input_first) = (0, 0);
    for ((method, path), rule) in &matrix {
        let (query, fields) = extra(path);
        // A calendar day is the country's, and an account action the user's own: tried once.
        let has_record =
            (path.contains('{') && !path.contains("{date}") && !path.contains("{action}"))
                || query.contains("{unit}")
                || fields.contains("{unit}");
        let (on_p, on_q) = rules[rule];
        for (s, side) in sides.iter().enumerate() {
            if s == 1 && !has_record {
                continue;
            }
            let allowed_users = if s == 0 { on_p } else { on_q };
            let unit = if s == 0 { "P-UB" } else { "Q-UB" };
            let query = query.replace("{unit}", unit);
            let fields = fields.replace("{unit}", unit);
            let url = if query.is_empty() {
                side.fill(path)
            } else {
                format!("{}?{query}", side.fill(path))
            };
            for user in USERS {
                let expected = allowed_users == "*" || allowed_users.split(' ').any(|u| u == user);
                let (cookie, csrf) = sessions[user].clone();
                let req = if path.starts_with("/api/") {
                    let r = Request::builder()
                        .method(method.as_str())
                        .uri(&url)
                        .header(header::AUTHORIZATION, format!("Bearer {}", tokens[user]));
                    if method == "POST" {
                        r.header(header::CONTENT_TYPE, "application/json")
                            .body(Body::from("{}"))
                    } else {
                        r.body(Body::empty())
                    }
                } else {
                    let r = Request::builder()
                        .method(method.as_str())
                        .uri(&url)
                        .header(header::COOKIE, &cookie);
                    if method == "POST" {
                        r.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                            .body(Body::from(format!("_csrf={}{fields}", enc(&csrf))))
                    } else {
                        r.body(Body::empty())
                    }
                };
                let writes_before = app.count("audit_log").await;
                let res = app.send(req.expect("request")).await;
                let status = res.status().as_u16();
                tried += 1;
                assert!(status < 500, "{method} {url} as {user}: {status}");
                let mut allowed = !matches!(status, 401 | 403 | 404);
                // A write that checks its input before its rule answers a bad form with 400 or
                // 422 whoever sends it: refused all the same when nothing was written.
                if !expected
                    && method == "POST"
                    && matches!(status, 400 | 422)
                    && app.count("audit_log").await == writes_before
                {
                    input_first += 1;
                    allowed = false;
                }
                // Signing in with no credentials is refused by design: only its 5xx matters.
                if !path.starts_with("/login") && allowed != expected {
                    wrong.push(format!(
                        "{method} {url} as {user} ({}): {status}, expected {}",
                        if s == 0 { "P" } else { "Q" },
                        if expected { "allowed" } else { "denied" }
                    ));
                }
                // Signing out ends the session: sign in again for the next routes.
                if path.ends_with("logout") || path.ends_with("logout-all") {
                    sessions.insert(user, app.login(user).await);
                }
            }
        }
    }
    assert!(tried > 1400, "{tried} requests");
    eprintln!("{tried} requests; {input_first} refused writes answered on their input first");
    assert!(
        wrong.is_empty(),
        "{} answers differ from the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
