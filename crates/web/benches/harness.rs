//! What the benches share: a signed-in user driving the real router in process, timing of
//! repeated requests (p50, p95, max), and the report printed and written as JSON.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, header};
use danvan_domain::Role;
use danvan_store::{NewUser, Store};
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

/// Timed rounds per scenario: 200, or `DANVAN_BENCH_ROUNDS` (the 10M run by hand takes
/// fewer: its slow scenarios would take minutes each).
pub fn rounds() -> usize {
    std::env::var("DANVAN_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|r| *r > 0)
        .unwrap_or(200)
}
pub const WARMUP: usize = 10;
const PASSWORD: &str = "bench-mat-khau-2026";

pub struct Bench {
    pub router: axum::Router,
    pub cookie: String,
    pub csrf: String,
}

impl Bench {
    /// Signs in `username` (created with `role` in `unit_code` if missing) on `router`.
    pub async fn login(
        router: &axum::Router,
        store: &Store,
        username: &str,
        unit_code: &str,
        role: Role,
    ) -> Bench {
        if store
            .actor_by_username(username)
            .await
            .expect("user")
            .is_none()
        {
            store
                .create_user(
                    None,
                    &NewUser {
                        username: username.into(),
                        full_name: format!("{} (đo hiệu năng)", role.label()),
                        unit_code: unit_code.into(),
                        role,
                        password: PASSWORD.into(),
                    },
                )
                .await
                .expect("bench user");
        }
        let res = router
            .clone()
            .oneshot(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!(
                        "username={username}&password={PASSWORD}"
                    )))
                    .expect("request"),
            )
            .await
            .expect("login");
        assert_eq!(res.status(), 303, "bench login");
        let cookie = res.headers()[header::SET_COOKIE]
            .to_str()
            .expect("ascii")
            .split(';')
            .next()
            .expect("cookie")
            .to_owned();
        let raw = cookie.split_once('=').expect("kv").1;
        let csrf = store
            .session(raw)
            .await
            .expect("session")
            .expect("exists")
            .csrf_token;
        Bench {
            router: router.clone(),
            cookie,
            csrf,
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let res = self
            .router
            .clone()
            .oneshot(
                Request::get(path)
                    .header(header::COOKIE, &self.cookie)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("router answers");
        let status = res.status().as_u16();
        let body = res.into_body().collect().await.expect("body").to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    pub async fn post(&self, path: &str, form: &[(&str, String)]) -> u16 {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join("&");
        let res = self
            .router
            .clone()
            .oneshot(
                Request::post(path)
                    .header(header::COOKIE, &self.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .expect("request"),
            )
            .await
            .expect("router answers");
        res.status().as_u16()
    }
}

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

pub struct Figure {
    pub name: &'static str,
    pub target_ms: f64,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
}

pub fn figure(name: &'static str, target_ms: f64, mut samples: Vec<Duration>) -> Figure {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| ms(samples[((samples.len() as f64 * q).ceil() as usize).saturating_sub(1)]);
    Figure {
        name,
        target_ms,
        p50: at(0.50),
        p95: at(0.95),
        max: ms(*samples.last().expect("samples")),
    }
}

/// Times `rounds()` calls of `call(i)` after `WARMUP` untimed ones; every call must answer `ok`.
#[macro_export]
macro_rules! measure {
    ($name:expr, $target:expr, $i:ident => $call:expr, $ok:expr) => {{
        let rounds = $crate::harness::rounds();
        let mut samples = Vec::with_capacity(rounds);
        for $i in 0..($crate::harness::WARMUP + rounds) {
            let start = std::time::Instant::now();
            let status: u16 = $call;
            let took = start.elapsed();
            assert!($ok(status), "{}: request {} answered {}", $name, $i, status);
            if $i >= $crate::harness::WARMUP {
                samples.push(took);
            }
        }
        $crate::harness::figure($name, $target, samples)
    }};
}

/// Prints the figures and the one-off timings against their targets, writes them with
/// `header` to `out` as JSON, and returns how many are over target.
pub fn report(
    figures: &[Figure],
    once: &[(&str, f64, f64)],
    mut header: serde_json::Value,
    out: &std::path::Path,
) -> usize {
    println!(
        "{:<48} {:>9} {:>9} {:>9} {:>9}",
        "scenario", "p50 ms", "p95 ms", "max ms", "target"
    );
    let mut over = 0;
    let mut json = vec![];
    for f in figures {
        let mark = if f.p95 <= f.target_ms { "" } else { "  OVER" };
        if !mark.is_empty() {
            over += 1;
        }
        println!(
            "{:<48} {:>9.2} {:>9.2} {:>9.2} {:>9.0}{mark}",
            f.name, f.p50, f.p95, f.max, f.target_ms
        );
        json.push(serde_json::json!({
            "scenario": f.name, "p50_ms": f.p50, "p95_ms": f.p95, "max_ms": f.max, "target_ms": f.target_ms,
        }));
    }
    if !once.is_empty() {
        println!("\n{:<48} {:>9} {:>9}", "once", "ms", "target");
    }
    for (name, target, ms) in once {
        let mark = if ms <= target { "" } else { "  OVER" };
        if !mark.is_empty() {
            over += 1;
        }
        println!("{name:<48} {ms:>9.1} {target:>9.1}{mark}");
        json.push(serde_json::json!({"scenario": name, "ms": ms, "target_ms": if target.is_finite() { Some(target) } else { None }}));
    }
    header["rounds"] = rounds().into();
    header["figures"] = json.into();
    std::fs::write(out, serde_json::to_string_pretty(&header).expect("json"))
        .expect("write the report");
    println!("\nreport: {}", out.display());
    if over > 0 {
        println!("{over} scenario(s) over target");
    }
    over
}
