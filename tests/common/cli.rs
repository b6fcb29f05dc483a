//! The `writeathon` command line as the stories run it: against one database (and data folder),
//! with what it reads on standard input, at the tests' clock.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `writeathon ARGS` on the database at `url` (and the data folder `dir`, when given),
/// writing `stdin` to it; returns whatever it did, success or not.
pub fn run(args: &[&str], url: &str, dir: Option<&Path>, stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_writeathon"));
    command
        .env("WRITEATHON_CLOCK_START", super::TODAY)
        .env("WRITEATHON_DATABASE_URL", url)
        .env("WRITEATHON_LOG", "warn")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(dir) = dir {
        command.env("WRITEATHON_DATA_DIR", dir);
    }
    let mut child = command.spawn().expect("the writeathon binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Like [`run`], for a command that must succeed: its standard output, trimmed.
pub fn ok(args: &[&str], url: &str, dir: Option<&Path>, stdin: &str) -> String {
    let out = run(args, url, dir, stdin);
    assert!(
        out.status.success(),
        "writeathon {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
