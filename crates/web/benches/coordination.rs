//! Coordination at scale (issue 7): server time of the programme, situation and model pages and
//! of the review, over a database built by
//! `danvan gen --petitions N --models 100000 --tasks 10000 --situations 50000`.
//!
//! Run through `scripts/bench-coordination`, or by hand:
//!   DANVAN_SCALE_DATA=/path/to/data cargo bench -p danvan-web --bench coordination
//!
//! Two readers: the head of one province's People's Committee (their province), and a viewer
//! at the national root (every province: the largest lists and groupings).

#[macro_use]
mod harness;

use danvan_domain::Role;
use danvan_store::Store;
use harness::Bench;
use std::time::Instant;

/// Ids linked from a page (`href="/{prefix}/123"`).
fn ids(page: &str, prefix: &str) -> Vec<String> {
    page.split(&format!("href=\"/{prefix}/"))
        .skip(1)
        .filter_map(|s| s.split(['"', '?']).next())
        .filter(|s| s.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect()
}

#[tokio::main]
async fn main() {
    let Ok(data) = std::env::var("DANVAN_SCALE_DATA") else {
        eprintln!(
            "DANVAN_SCALE_DATA is not set: run scripts/bench-coordination, which builds the data"
        );
        std::process::exit(2);
    };
    let data = std::path::PathBuf::from(data);
    let url = std::env::var("DANVAN_SCALE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", data.join("danvan.db").display()));
    let store = Store::open(&url)
        .await
        .expect("open the generated database");
    let count = |t: &str| {
        let store = store.clone();
        let sql = format!("SELECT COUNT(*) FROM {t}");
        async move { danvan_store::testing::scalar(&store, &sql).await }
    };
    let (models, tasks, situations, petitions) = (
        count("dvk_models").await,
        count("programme_tasks").await,
        count("situation_reports").await,
        count("petitions").await,
    );
    assert!(
        models > 0 && tasks > 0 && situations > 0,
        "run danvan gen with --models, --tasks and --situations first"
    );
    let units = store.units().await.expect("units");
    let committee = units
        .iter()
        .find(|u| u.code.ends_with("-UBND") && u.valid_to.is_none())
        .expect("a generated committee")
        .clone();
    let root = units
        .iter()
        .find(|u| u.parent_id.is_none() && u.kind == "national")
        .expect("the national root")
        .clone();
    let config = danvan_web::Config {
        attachments_dir: data.join("attachments"),
        secure_cookies: false,
        today_override: None,
    };
    let router = danvan_web::router(store.clone(), config);
    let head = Bench::login(&router, &store, "bench-head", &committee.code, Role::Head).await;
    let nation = Bench::login(&router, &store, "bench-nation", &root.code, Role::Viewer).await;

    let (_, list) = head.get("/programmes").await;
    let programmes = ids(&list, "programmes");
    assert!(!programmes.is_empty(), "the head's province has programmes");
    let (_, page) = head.get(&format!("/programmes/{}", programmes[0])).await;
    let task_ids = ids(&page, "tasks");
    let (_, list) = head.get("/models").await;
    let model_ids = ids(&list, "models");
    assert!(!task_ids.is_empty() && !model_ids.is_empty());
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let years = [year - 1, year];
    let fields = ["kt", "vhxh", "qpan", "xdhtct"];

    let mut figures = vec![];
    figures.push(
        measure!("chương trình phối hợp: danh sách (tỉnh)", 50.0, _i => {
        head.get("/programmes").await.0
    }, |s| s == 200),
    );
    figures.push(
        measure!("chương trình phối hợp: một chương trình", 50.0, i => {
        head.get(&format!("/programmes/{}", programmes[i % programmes.len()])).await.0
    }, |s| s == 200),
    );
    figures.push(measure!("nhiệm vụ phối hợp: một nhiệm vụ", 50.0, i => {
        head.get(&format!("/tasks/{}", task_ids[i % task_ids.len()])).await.0
    }, |s| s == 200));
    figures.push(measure!("tổng quan (nhiệm vụ quá hạn)", 200.0, _i => {
        head.get("/").await.0
    }, |s| s == 200));
    figures.push(measure!("tình hình: một tỉnh, một năm", 50.0, i => {
        let y = years[i % 2];
        head.get(&format!("/situation?from=01/01/{y}&to=31/12/{y}")).await.0
    }, |s| s == 200));
    figures.push(measure!("tình hình: toàn quốc, một quý", 50.0, i => {
        let y = years[i % 2];
        let q = 1 + 3 * (i % 4);
        nation.get(&format!("/situation?from=01/{q:02}/{y}&to=28/{:02}/{y}", q + 2)).await.0
    }, |s| s == 200));
    figures.push(
        measure!("Dân vận khéo: danh sách một năm (tỉnh)", 50.0, i => {
        head.get(&format!("/models?year={}&page={}", years[i % 2], 1 + i % 3)).await.0
    }, |s| s == 200),
    );
    figures.push(
        measure!("Dân vận khéo: toàn quốc, lọc năm + lĩnh vực", 50.0, i => {
        nation.get(&format!("/models?year={}&field={}", years[i % 2], fields[i % 4])).await.0
    }, |s| s == 200),
    );
    figures.push(measure!("Dân vận khéo: toàn quốc, tìm tên", 50.0, i => {
        let q = ["nong thon", "giam ngheo", "chuyen doi so", "an ninh"][i % 4];
        nation.get(&format!("/models?q={}", harness::enc(q))).await.0
    }, |s| s == 200));
    figures.push(measure!("Dân vận khéo: một mô hình", 50.0, i => {
        head.get(&format!("/models/{}", model_ids[i % model_ids.len()])).await.0
    }, |s| s == 200));
    figures.push(measure!("đăng ký một mô hình", 50.0, i => {
        let form: Vec<(&str, String)> = vec![
            ("_csrf", head.csrf.clone()),
            ("name", format!("Mô hình đo hiệu năng {i}")),
            ("unit", committee.code.clone()),
            ("field", fields[i % 4].into()),
            ("kind", "collective".into()),
            ("level", "commune".into()),
            ("registered_on", format!("01/01/{year}")),
            ("period_from", year.to_string()),
            ("period_to", year.to_string()),
        ];
        head.post("/models", &form).await
    }, |s| s == 303));
    figures.push(measure!("sơ kết 6 tháng của một chương trình (trang)", 2000.0, i => {
        let y = years[i % 2];
        head.get(&format!("/programmes/{}/review?from=01/01/{y}&to=30/06/{y}", programmes[i % programmes.len()])).await.0
    }, |s| s == 200));
    let mut once = vec![];
    let t = Instant::now();
    let (status, _) = head
        .get(&format!(
            "/programmes/{}/review.docx?from=01/01/{year}&to=31/12/{year}",
            programmes[0]
        ))
        .await;
    assert_eq!(status, 200);
    once.push((
        "tổng kết năm: tệp Word",
        2000.0,
        t.elapsed().as_secs_f64() * 1000.0,
    ));

    println!(
        "\ncoordination: {models} models, {tasks} tasks, {situations} situation reports, {petitions} petitions; readers: head of {}, viewer of {}\n",
        committee.code, root.code
    );
    let over = harness::report(
        &figures,
        &once,
        serde_json::json!({"models": models, "tasks": tasks, "situations": situations, "petitions": petitions}),
        &data.join("coordination-report.json"),
    );
    if over > 0 {
        std::process::exit(1);
    }
}
