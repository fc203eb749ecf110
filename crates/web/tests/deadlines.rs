//! Statutory clocks through the real router: computed on registration, moved by acceptance,
//! extension, suspension and resumption, refused past what the law allows, listed on "Hạn xử
//! lý" and exported; the calendar edited with history, imported all or nothing, and deadlines
//! recomputed only when asked.

mod common;

use common::*;

async fn denunciation(app: &TestApp, cookie: &str, csrf: &str, received: &str) -> String {
    let form = vec![
        ("_csrf", csrf),
        ("unit_code", "P-UB"),
        ("received_date", received),
        ("source", "post"),
        ("sender_kind", "one"),
        ("sender.full_name", "Trần Văn Tố"),
        ("petition_type", "TC"),
        ("field_code", "HC-CBCC"),
        ("summary", "Tố cáo cán bộ địa chính"),
        ("eligible", "1"),
        ("competent", "1"),
    ];
    app.create("/petitions", cookie, &form).await
}

async fn event(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    code: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let mut all = vec![("_csrf", csrf)];
    all.extend_from_slice(form);
    let (status, _, body) = app
        .post_form(&format!("/petitions/{code}/events"), cookie, &all)
        .await;
    (status, body)
}

#[tokio::test]
async fn a_denunciation_clock_runs_extends_pauses_and_resumes() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let code = denunciation(&app, &cookie, &csrf, "02/03/2026").await;
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        page.contains("Hạn kiểm tra, thụ lý tố cáo: 11/03/2026 — 7 ngày làm việc kể từ ngày nhận đơn 02/03/2026"),
        "the check clock from receipt"
    );

    let (status, body) = event(
        &app,
        &cookie,
        &csrf,
        &code,
        &[
            ("kind", "accept"),
            ("on", "05/03/2026"),
            ("decision_no", "Quyết định số 5/QĐ-UBND"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        page.contains("Hạn giải quyết tố cáo: 06/04/2026 — 30 ngày kể từ ngày thụ lý 05/03/2026"),
        "the issue's example"
    );
    assert!(page.contains("ngày cuối 04/04/2026 là ngày nghỉ"));

    for (on, number) in [
        ("01/04/2026", "Quyết định số 12/QĐ-UBND"),
        ("01/05/2026", "Quyết định số 20/QĐ-UBND"),
    ] {
        let (status, body) = event(
            &app,
            &cookie,
            &csrf,
            &code,
            &[("kind", "extend"), ("on", on), ("decision_no", number)],
        )
        .await;
        assert_eq!(status, 303, "{body}");
    }
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        page.contains("Hạn giải quyết tố cáo: 03/06/2026"),
        "30 + 30 + 30 days"
    );
    let events_before = app.count("petition_events").await;
    let (status, body) = event(
        &app,
        &cookie,
        &csrf,
        &code,
        &[
            ("kind", "extend"),
            ("on", "01/06/2026"),
            ("decision_no", "Quyết định số 30/QĐ-UBND"),
        ],
    )
    .await;
    assert_eq!(status, 422, "a third extension is refused");
    assert!(body.contains("tối đa 2 lần"), "with the reason");
    assert_eq!(
        app.count("petition_events").await,
        events_before,
        "nothing stored"
    );

    let (status, _) = event(
        &app,
        &cookie,
        &csrf,
        &code,
        &[
            ("kind", "suspend"),
            ("on", "10/05/2026"),
            ("decision_no", "Quyết định số 40/QĐ-UBND"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(page.contains("đang tạm đình chỉ"));
    let (status, body) = event(
        &app,
        &cookie,
        &csrf,
        &code,
        &[("kind", "result"), ("on", "11/05/2026")],
    )
    .await;
    assert_eq!(status, 422, "no result while suspended: {body}");
    let (status, _) = event(
        &app,
        &cookie,
        &csrf,
        &code,
        &[
            ("kind", "resume"),
            ("on", "20/05/2026"),
            ("decision_no", "Quyết định số 41/QĐ-UBND"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    // 66 of 90 days used by 10/5; 24 left from 20/5 → 13/6/2026 (Saturday) → Monday 15/6.
    assert!(
        page.contains("Hạn giải quyết tố cáo: 15/06/2026"),
        "the pause is not counted"
    );
    assert!(page.contains("tạm đình chỉ 10/05/2026 – 20/05/2026"));

    let (status, _) = event(
        &app,
        &cookie,
        &csrf,
        &code,
        &[
            ("kind", "result"),
            ("on", "16/06/2026"),
            ("note", "Kết luận: tố cáo đúng một phần"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(
        page.contains("quá hạn"),
        "settled a day late: it stays late"
    );

    let (status, body) = event(
        &app,
        &cookie,
        &csrf,
        &code,
        &[("kind", "accept"), ("on", "99/99/2026")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("Ngày không hợp lệ"));
    let (viewer, viewer_csrf) = app.login("xem").await;
    let (status, _) = event(
        &app,
        &viewer,
        &viewer_csrf,
        &code,
        &[("kind", "result"), ("on", "16/06/2026")],
    )
    .await;
    assert_eq!(status, 404, "outside the viewer's subtree");
}

#[tokio::test]
async fn overdue_clocks_are_listed_exported_and_counted() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let late = denunciation(&app, &cookie, &csrf, "02/11/2026").await;
    let fresh = denunciation(&app, &cookie, &csrf, "26/11/2026").await;
    // Today is 28/11/2026 in the tests: 7 working days from 2/11 is 11/11 → overdue.
    let (status, page) = app.get("/deadlines?overdue=1", &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains(&late));
    assert!(!page.contains(&fresh));
    assert!(page.contains("Quá hạn"));
    let (_, page) = app.get("/deadlines?window=10", &cookie).await;
    assert!(
        page.contains(&late) && page.contains(&fresh),
        "overdue and due soon"
    );
    let (status, csv) = app.get("/deadlines?overdue=1&format=csv", &cookie).await;
    assert_eq!(status, 200);
    assert!(csv.starts_with('\u{feff}'), "Excel reads the BOM as UTF-8");
    assert!(csv.contains(&late) && csv.contains("Hạn kiểm tra, thụ lý tố cáo"));
    let (_, home) = app.get("/", &cookie).await;
    assert!(home.contains("Thời hạn đã quá"));
    let (foreign, _) = app.login("ngoai").await;
    let (_, page) = app.get("/deadlines?overdue=1", &foreign).await;
    assert!(
        !page.contains(&late),
        "another province's clocks are not listed"
    );
}

#[tokio::test]
async fn the_calendar_is_edited_with_history_imported_whole_and_applied_on_request() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let code = denunciation(&app, &cookie, &csrf, "20/11/2026").await;
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    // 7 working days after Friday 20/11/2026, skipping Tuesday 24/11: 2/12/2026.
    assert!(
        page.contains("Hạn kiểm tra, thụ lý tố cáo: 02/12/2026"),
        "24/11 is a holiday"
    );

    let (admin, admin_csrf) = app.login("admin").await;
    let (status, page) = app.get("/calendar?year=2026", &admin).await;
    assert_eq!(status, 200);
    assert!(page.contains("Tết Bính Ngọ") && page.contains("9441/TB-BNV"));
    assert!(page.contains("âm lịch") || page.contains("1/1/2026"));
    let (status, _, _) = app
        .post_form(
            "/calendar/entries",
            &admin,
            &[
                ("_csrf", &admin_csrf),
                ("year", "2026"),
                ("date", "23/11/2026"),
                ("kind", "off"),
                ("name", "Ngày nghỉ hoán đổi"),
                ("basis", "Thông báo thử nghiệm 1/TB-BNV"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get("/calendar?year=2026", &admin).await;
    assert!(page.contains("Ngày nghỉ hoán đổi") && page.contains("Lịch sử thay đổi"));
    assert!(
        page.contains("(chưa có) → nghỉ: Ngày nghỉ hoán đổi"),
        "history says before and after"
    );

    // The stored deadline did not move by itself.
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(page.contains("Hạn kiểm tra, thụ lý tố cáo: 02/12/2026"));
    let (status, _, page) = app
        .post_form(
            "/deadlines/recompute",
            &admin,
            &[("_csrf", &admin_csrf), ("year", "2026")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("1 thời hạn sẽ thay đổi")
            && page.contains("02/12/2026")
            && page.contains("03/12/2026")
    );
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(page.contains(": 02/12/2026"), "a preview changes nothing");
    let (_, _, page) = app
        .post_form(
            "/deadlines/recompute",
            &admin,
            &[("_csrf", &admin_csrf), ("year", "2026"), ("apply", "1")],
        )
        .await;
    assert!(page.contains("Đã tính lại: 1 thời hạn thay đổi"));
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(page.contains("Hạn kiểm tra, thụ lý tố cáo: 03/12/2026"));

    // A bad import names its rows and changes nothing.
    let rows_before = app.count("calendar_entries").await;
    let bad = "date,kind,name,basis,provisional\n2027-02-05,off,Tết,Thông báo 1/TB-BNV,0\n2027-02-31,off,Sai ngày,,\n2026-12-31,off,Năm khác,,\n";
    let (status, _, page) = app
        .post_form(
            "/calendar/import",
            &admin,
            &[("_csrf", &admin_csrf), ("year", "2027"), ("schedule", bad)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("dòng 3"), "{page}");
    assert_eq!(app.count("calendar_entries").await, rows_before);
    let good = "05/02/2027,off,Tết Đinh Mùi (29 tháng Chạp),Thông báo thử 2/TB-BNV,0\n08/02/2027,off,Tết Đinh Mùi (mùng 3),Thông báo thử 2/TB-BNV,0\n";
    let (status, _, _) = app
        .post_form(
            "/calendar/import",
            &admin,
            &[("_csrf", &admin_csrf), ("year", "2027"), ("schedule", good)],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get("/calendar?year=2027", &admin).await;
    assert!(page.contains("Tết Đinh Mùi (mùng 3)") && !page.contains("chưa có lịch chính thức"));

    // A unit that works Saturdays counts them.
    let (status, _, _) = app
        .post_form(
            "/calendar/work-week",
            &admin,
            &[
                ("_csrf", &admin_csrf),
                ("unit_code", "P-UB"),
                ("week", "1111110"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let unit = app
        .store
        .unit_by_code("P-UB")
        .await
        .expect("db")
        .expect("unit");
    let cal = app.store.work_calendar(unit.id).await.expect("calendar");
    let saturday = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
    assert_eq!(cal.is_working(saturday), Ok(true));
    let national = app.store.work_calendar(0).await.expect("calendar");
    assert_eq!(national.is_working(saturday), Ok(false));

    // Others may read the calendar but not change it.
    let (status, _, _) = app
        .post_form(
            "/calendar/entries",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("date", "25/12/2026"),
                ("kind", "off"),
                ("name", "Thử"),
            ],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = app
        .post_form(
            "/deadlines/recompute",
            &cookie,
            &[("_csrf", &csrf), ("apply", "1")],
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn rules_are_data_administrators_edit() {
    let app = TestApp::new().await;
    let (admin, csrf) = app.login("admin").await;
    let (status, page) = app.get("/admin/rules", &admin).await;
    assert_eq!(status, 200);
    assert!(page.contains("Nghị định 155/2026") && page.contains("chưa xác nhận"));
    let rules = app.store.deadline_rules().await.expect("rules");
    let (id, _) = rules
        .iter()
        .find(|(_, r)| r.clock.code() == "xld.process")
        .expect("processing rule");
    let path = format!("/admin/rules/{id}");
    let (status, _, page) = app
        .post_form(
            &path,
            &admin,
            &[
                ("_csrf", &csrf),
                ("days", "0"),
                ("count", "working"),
                ("basis", "x"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Số ngày từ 1 đến 365"));
    let (status, _, _) = app
        .post_form(
            &path,
            &admin,
            &[
                ("_csrf", &csrf),
                ("days", "15"),
                ("count", "calendar"),
                ("roll_forward", "1"),
                ("basis", "Quy chế xử lý đơn của tỉnh"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let rules = app.store.deadline_rules().await.expect("rules");
    let r = &rules.iter().find(|(i, _)| i == id).expect("rule").1;
    assert_eq!(
        (r.days, r.count.code(), r.basis.as_str()),
        (15, "calendar", "Quy chế xử lý đơn của tỉnh")
    );
    let (handler, handler_csrf) = app.login("xuly").await;
    let (status, _) = app.get("/admin/rules", &handler).await;
    assert_eq!(status, 403);
    let (status, _, _) = app
        .post_form(
            &path,
            &handler,
            &[
                ("_csrf", &handler_csrf),
                ("days", "99"),
                ("count", "working"),
                ("basis", "x"),
            ],
        )
        .await;
    assert_eq!(status, 403);
}
