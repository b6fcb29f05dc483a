//! The deployment files under `deploy/` are ones the tools accept: the systemd units pass
//! `systemd-analyze verify`, the server's and the backup's score "OK" (≤ 2.0) under
//! `systemd-analyze security`, and nginx (Debian's) accepts the site with `nginx -t`.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_writeathon");

fn deploy(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(path)
}

/// The unit files as installed, but pointing at the binary just built (verify checks it exists).
fn units_in(dir: &Path) -> Vec<PathBuf> {
    [
        "writeathon.service",
        "writeathon-backup.service",
        "writeathon-backup.timer",
    ]
    .iter()
    .map(|name| {
        let text = std::fs::read_to_string(deploy(&format!("systemd/{name}"))).unwrap();
        assert!(text.contains("/usr/local/bin/writeathon") || name.ends_with(".timer"));
        let to = dir.join(name);
        std::fs::write(&to, text.replace("/usr/local/bin/writeathon", BIN)).unwrap();
        to
    })
    .collect()
}

#[test]
fn the_systemd_units_verify_and_are_hardened() {
    let dir = tempfile::tempdir().unwrap();
    let units = units_in(dir.path());
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .args(&units)
        .output()
        .expect("systemd-analyze (Debian's systemd package)");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.trim().is_empty(), "{said}");
    for unit in &units[..2] {
        let out = Command::new("systemd-analyze")
            .args(["security", "--offline=yes", "--no-pager"])
            .arg(unit)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let overall = text
            .lines()
            .find(|l| l.contains("Overall exposure level"))
            .unwrap_or_else(|| panic!("no score: {text}"));
        let score: f64 = overall
            .split(':')
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{overall}"));
        assert!(score <= 2.0, "{}: {overall}", unit.display());
    }
}

#[test]
fn nginx_accepts_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
        ])
        .arg("/CN=writeathon.example.org")
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let site = std::fs::read_to_string(deploy("nginx/writeathon.conf"))
        .unwrap()
        .replace(
            "/etc/letsencrypt/live/writeathon.example.org/fullchain.pem",
            cert.to_str().unwrap(),
        )
        .replace(
            "/etc/letsencrypt/live/writeathon.example.org/privkey.pem",
            key.to_str().unwrap(),
        );
    // The stream is never buffered nor compressed, and the client's own X-Forwarded-For is replaced.
    assert!(site.contains("proxy_buffering off") && site.contains("gzip off"));
    assert!(site.contains("proxy_set_header X-Forwarded-For $remote_addr;"));
    std::fs::write(dir.path().join("site.conf"), site).unwrap();
    let conf = dir.path().join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "pid {0}/nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{\n  client_body_temp_path {0};\n  include {0}/site.conf;\n}}\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let nginx = ["/usr/sbin/nginx", "nginx"]
        .into_iter()
        .find(|n| Command::new(n).arg("-v").output().is_ok())
        .expect("nginx (Debian's nginx-light package)");
    let out = Command::new(nginx)
        .args(["-t", "-q", "-e", "stderr", "-p"])
        .arg(dir.path())
        .arg("-c")
        .arg(&conf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
