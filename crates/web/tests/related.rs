//! Related records while entering a petition: a re-sent copy with a new greeting and date is
//! suggested before saving, with why; the officer's answer (duplicate, link, dismiss) is saved
//! with the petition and can be undone; a protected identity never makes a match.

mod common;

use common::*;

const LETTER: &str = "Kính gửi UBND tỉnh. Tôi là Nguyễn Văn Bình, trú tại thôn 3, đề nghị giải \
    quyết dứt điểm tranh chấp ranh giới đất đai với hộ ông Trần Văn Cường, thửa đất số 112 tờ \
    bản đồ số 7, đã nhiều lần hòa giải ở xã không thành.";

fn form<'a>(
    csrf: &'a str,
    unit: &'a str,
    kind: &'a str,
    id: &'a str,
    summary: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("unit_code", unit),
        ("received_date", "10/11/2026"),
        ("source", "post"),
        ("sender_kind", "one"),
        ("sender.full_name", "Nguyễn Văn Bình"),
        ("sender.id_number", id),
        ("petition_type", kind),
        ("field_code", "DD-TC"),
        ("summary", summary),
    ]
}

/// The form's fields (without the CSRF token) as the query string htmx sends.
fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(k, _)| *k != "_csrf")
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The case a petition's page links to.
async fn case_of(app: &TestApp, cookie: &str, petition: &str) -> String {
    let (_, page) = app.get(&format!("/petitions/{petition}"), cookie).await;
    page.split("/cases/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("case link")
        .to_owned()
}

#[tokio::test]
async fn a_resent_copy_is_suggested_before_saving_and_filed_as_a_duplicate() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let first = app
        .create(
            "/petitions",
            &cookie,
            &form(&csrf, "P-UB", "KN", "", LETTER),
        )
        .await;
    let case = case_of(&app, &cookie, &first).await;

    // The same letter again months later, a new greeting and date line, typed without marks.
    let again = format!(
        "Kinh gui Chu tich UBND tinh, ngay 02/3/2027. {}",
        danvan_vntext::fold(LETTER)
    );
    let typing = form(&csrf, "P-UB", "KN", "", &again);
    let (status, fragment) = app
        .get(&format!("/related?{}", query(&typing)), &cookie)
        .await;
    assert_eq!(status, 200);
    assert!(fragment.contains(&first), "{fragment}");
    assert!(fragment.contains("Nội dung giống"), "says why: {fragment}");
    // Typing on after picking an answer keeps it.
    let (_, refreshed) = app
        .get(
            &format!("/related?{}&related=duplicate%3A{first}", query(&typing)),
            &cookie,
        )
        .await;
    assert!(
        refreshed.contains(&format!("value=\"duplicate:{first}\" checked")),
        "{refreshed}"
    );

    // The officer marks it a duplicate: filed, on the first one's case, the answer kept.
    let mut posted = typing.clone();
    let related = format!("duplicate:{first}");
    posted.extend([
        ("shown[0]", first.as_str()),
        ("why[0]", "Nội dung giống 80%"),
        ("related", related.as_str()),
    ]);
    let second = app.create("/petitions", &cookie, &posted).await;
    let (_, page) = app.get(&format!("/petitions/{second}"), &cookie).await;
    assert!(page.contains(&format!("/cases/{case}")), "joined the case");
    assert!(page.contains("Lưu đơn"), "filed");
    assert!(page.contains(&format!("Đơn trùng với {first}")));
    assert!(page.contains("Đơn trùng: lưu đơn"), "the answer is listed");
    // The case now holds two petitions: reports count it by case, not as one petition (one
    // entry per unit its petitions are in: here one).
    let listed = format!(
        "SELECT COUNT(*) FROM multi_petition_cases mc JOIN cases c ON c.id = mc.case_id WHERE c.code = '{case}'"
    );
    assert_eq!(danvan_store::testing::scalar(&app.store, &listed).await, 1);

    // Undone: the petition is open again, on a case of its own, the answer stamped.
    let choice_id = page
        .split("/related/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("undo form")
        .to_owned();
    let (status, _, _) = app
        .post_form(
            &format!("/petitions/{second}/related/{choice_id}/undo"),
            &cookie,
            &[("_csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = app.get(&format!("/petitions/{second}"), &cookie).await;
    assert!(
        !page.contains(&format!("/cases/{case}\"")),
        "moved out of the case"
    );
    assert!(page.contains("đã hủy lúc"));
    assert!(!page.contains(&format!("Đơn trùng với {first}")));
    // Each petition alone on its case again: no case is listed as holding several.
    assert_eq!(danvan_store::testing::scalar(&app.store, &listed).await, 0);
    assert_eq!(
        danvan_store::testing::scalar(&app.store, "SELECT COUNT(*) FROM multi_petition_cases").await,
        danvan_store::testing::scalar(
            &app.store,
            "SELECT COUNT(*) FROM (SELECT DISTINCT unit_id, case_id FROM petitions WHERE case_id IN \
             (SELECT case_id FROM petitions GROUP BY case_id HAVING COUNT(*) > 1)) x"
        )
        .await
    );
}

#[tokio::test]
async fn the_same_citizen_and_the_same_content_sent_elsewhere_are_suggested_with_why() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("chutich").await;
    let at_commune = app
        .create(
            "/petitions",
            &cookie,
            &form(&csrf, "P-XA", "KN", "060085001234", LETTER),
        )
        .await;
    let other_matter = app
        .create(
            "/petitions",
            &cookie,
            &form(
                &csrf,
                "P-UB",
                "KNPA",
                "060085001234",
                "Đề nghị sửa đường liên thôn",
            ),
        )
        .await;
    let typing = form(&csrf, "P-UB", "KN", "060085001234", LETTER);
    let (_, fragment) = app
        .get(&format!("/related?{}", query(&typing)), &cookie)
        .await;
    assert!(fragment.contains(&at_commune) && fragment.contains(&other_matter));
    assert!(fragment.contains("Cùng số CCCD/CMND"));
    assert!(
        fragment.contains("Gửi nhiều nơi: cùng nội dung gửi Đơn vị P-XA"),
        "{fragment}"
    );
    // A dismissed suggestion is recorded as such.
    let mut posted = typing.clone();
    posted.extend([("shown[0]", at_commune.as_str()), ("why[0]", "x")]);
    let code = app.create("/petitions", &cookie, &posted).await;
    let (_, page) = app.get(&format!("/petitions/{code}"), &cookie).await;
    assert!(page.contains("Không liên quan"));
}

#[tokio::test]
async fn a_denouncers_id_number_suggests_nothing_to_those_who_may_not_see_them() {
    let app = TestApp::new().await;
    let (head, head_csrf) = app.login("chutich").await;
    app.create(
        "/petitions",
        &head,
        &form(
            &head_csrf,
            "P-UB",
            "TC",
            "060085007777",
            "Tố cáo cán bộ địa chính",
        ),
    )
    .await;
    let (handler, csrf) = app.login("xuly").await;
    let typing = form(&csrf, "P-UB", "KN", "060085007777", "Một nội dung khác hẳn");
    let (status, fragment) = app
        .get(&format!("/related?{}", query(&typing)), &handler)
        .await;
    assert_eq!(status, 200);
    assert!(
        !fragment.contains("Cùng số CCCD/CMND"),
        "omitted, not masked: {fragment}"
    );
    // The head of the unit, who may see the denouncer, is shown the match.
    let typing = form(
        &head_csrf,
        "P-UB",
        "KN",
        "060085007777",
        "Một nội dung khác hẳn",
    );
    let (_, fragment) = app
        .get(&format!("/related?{}", query(&typing)), &head)
        .await;
    assert!(fragment.contains("Cùng số CCCD/CMND"), "{fragment}");
}

#[tokio::test]
async fn a_choice_naming_an_unknown_record_is_refused_with_a_message() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let mut posted = form(&csrf, "P-UB", "KN", "", LETTER);
    posted.extend([
        ("shown[0]", "DON-1999-000001"),
        ("why[0]", "x"),
        ("related", "link:DON-1999-000001"),
    ]);
    let before = app.count("petitions").await;
    let (status, _, page) = app.post_form("/petitions", &cookie, &posted).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Không tìm thấy hồ sơ liên quan có mã này"),
        "{page}"
    );
    assert_eq!(app.count("petitions").await, before, "nothing half-written");
}

#[tokio::test]
async fn a_person_page_lists_what_the_reader_may_see_with_counts() {
    let app = TestApp::new().await;
    let (head, csrf) = app.login("chutich").await;
    let first = app
        .create(
            "/petitions",
            &head,
            &form(&csrf, "P-UB", "KN", "060085004321", LETTER),
        )
        .await;
    app.create(
        "/petitions",
        &head,
        &form(
            &csrf,
            "P-XA",
            "KNPA",
            "060085004321",
            "Đề nghị sửa đường liên thôn",
        ),
    )
    .await;
    let denunciation = app
        .create(
            "/petitions",
            &head,
            &form(
                &csrf,
                "P-UB",
                "TC",
                "060085004321",
                "Tố cáo cán bộ thu tiền sai",
            ),
        )
        .await;
    let (_, page) = app.get(&format!("/petitions/{first}"), &head).await;
    let person = page
        .split("href=\"/people/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a link to the person")
        .to_owned();
    let (status, page) = app.get(&format!("/people/{person}"), &head).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<strong>0</strong> lượt tiếp · <strong>3</strong> đơn"),
        "{page}"
    );
    assert!(
        page.contains(&denunciation),
        "the head sees the denunciation"
    );
    let (handler, _) = app.login("xuly").await;
    let (status, page) = app.get(&format!("/people/{person}"), &handler).await;
    assert_eq!(status, 200);
    assert!(page.contains("<strong>2</strong> đơn"), "{page}");
    assert!(
        !page.contains(&denunciation),
        "omitted for who may not see the denouncer"
    );
    let (foreign, _) = app.login("ngoai").await;
    let (status, _) = app.get(&format!("/people/{person}"), &foreign).await;
    assert_eq!(status, 404, "nothing of theirs in the reader's units");
}

#[tokio::test]
async fn a_visit_is_linked_to_a_suggested_record_and_the_answer_kept() {
    let app = TestApp::new().await;
    let (handler, csrf) = app.login("xuly").await;
    // Received at the reception office, where the officer may see it.
    let petition = app
        .create(
            "/petitions",
            &handler,
            &form(&csrf, "P-TCD", "KN", "", LETTER),
        )
        .await;
    let case = case_of(&app, &handler, &petition).await;
    let (officer, ocsrf) = app.login("tiepdan").await;
    let mut visit = visit_form(&ocsrf, "P-TCD", "060085005555");
    visit.retain(|(k, _)| *k != "content");
    visit.push(("content", LETTER));
    // The visit form shows the same suggestions, without "duplicate".
    let (_, fragment) = app
        .get(&format!("/related?{}", query(&visit)), &officer)
        .await;
    assert!(fragment.contains(&petition), "{fragment}");
    assert!(!fragment.contains("value=\"duplicate:"));
    let link = format!("link:{petition}");
    let mut posted = visit.clone();
    posted.extend([
        ("shown[0]", petition.as_str()),
        ("why[0]", "Nội dung giống 100%"),
        ("related", link.as_str()),
    ]);
    let code = app.create("/visits", &officer, &posted).await;
    let (_, page) = app.get(&format!("/visits/{code}"), &officer).await;
    assert!(page.contains(&format!("/cases/{case}")), "joined the case");
    // A duplicate mark is refused for a visit, with a message, and nothing is saved.
    let dup = format!("duplicate:{petition}");
    let mut posted = visit.clone();
    posted.extend([
        ("shown[0]", petition.as_str()),
        ("why[0]", "x"),
        ("related", dup.as_str()),
    ]);
    let before = app.count("visits").await;
    let (status, _, page) = app.post_form("/visits", &officer, &posted).await;
    assert_eq!(status, 422);
    assert!(page.contains("Lượt tiếp không đánh dấu trùng"), "{page}");
    assert_eq!(app.count("visits").await, before);
    assert_eq!(
        danvan_store::testing::scalar(
            &app.store,
            "SELECT COUNT(*) FROM related_choices WHERE record_kind = 'visit' AND choice = 'link'"
        )
        .await,
        1
    );
}
