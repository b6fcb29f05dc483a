//! A `writeathon serve` process of the real binary, on a free port: for the stories about what
//! happens to a process (killed, stopped, restarted).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A server process; killed if the test ends without stopping it.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Starts `writeathon serve --demo` on a free port and waits until it listens.
    pub fn start(url: &str, dir: &Path) -> Server {
        Server::start_with(url, dir, &["--demo"])
    }

    /// Starts `writeathon serve` with more arguments on a free port and waits until it listens.
    pub fn start_with(url: &str, dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_writeathon"))
            .env("WRITEATHON_CLOCK_START", super::TODAY)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("WRITEATHON_DATABASE_URL", url)
            .env("WRITEATHON_DATA_DIR", dir)
            // Only what we need to find the address; per-request lines would only slow it down.
            .env("WRITEATHON_LOG", "warn,writeathon::app=info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("the server said where it listens")
                .unwrap();
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep reading (and echo warnings) so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = writeln!(std::io::stderr(), "[server] {line}");
            }
        });
        Server {
            child,
            base: format!("http://{address}"),
        }
    }

    pub fn kill_9(&mut self) {
        self.child.kill().unwrap(); // SIGKILL on Unix
        self.child.wait().unwrap();
    }

    pub fn stop(mut self) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
