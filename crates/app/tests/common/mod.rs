//! What the command-line tests share: running `danvan`, a real server in its own process, and
//! a minimal HTTP/1.1 client (no client library: a request is a few lines on a socket).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `danvan --data DATA ARGS…`: (exit code, stdout, stderr).
pub fn danvan(data: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("DANVAN_DATABASE_URL")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh folder under the system's temporary folder.
pub fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "danvan-{name}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `danvan serve` on a port, until dropped (then killed).
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Server {
    pub fn start(data: &Path, port: u16) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_danvan"))
            .arg("--data")
            .arg(data)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env_remove("DANVAN_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let server = Server { child, port };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if server.request("GET", "/healthz", None, None).0 == 200 {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not answer on port {port}");
    }

    /// Kills the process at once (SIGKILL): no shutdown, no flush.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// One request: (status, body); status 0 when the server did not answer.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        json: Option<&str>,
    ) -> (u16, String) {
        request(self.port, method, path, token, json)
    }
}

/// One request to a server on `port`: (status, body); status 0 when nothing answered.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    json: Option<&str>,
) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new());
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let body = json.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if s.write_all(req.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A visit as the API takes it, with a distinct content to find it again.
pub fn visit_json(n: usize) -> String {
    format!(
        r#"{{"unit_code": "LD-BTCD", "visit_date": "2026-11-20", "kind": "regular", "receiver_name": "Cán bộ tiếp dân", "people": [{{"full_name": "Người Thử Số {n}"}}], "content": "Kiểm thử độ bền lượt tiếp số {n}", "petition_type": "KN", "field_code": "DD-TC", "handling": "accept"}}"#
    )
}
