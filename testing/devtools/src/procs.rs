//! Starting the real binaries on 127.0.0.1 for end-to-end tests and the demo: each runs in
//! local mode (`PORT`), its stderr (the log) captured, and is killed when dropped.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running binary; killed on drop.
pub struct Running {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    log: Arc<Mutex<Vec<u8>>>,
}

impl Running {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The process id (for reading its memory use from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the process wrote to stderr so far.
    pub fn log(&self) -> String {
        String::from_utf8_lossy(&self.log.lock().map(|l| l.clone()).unwrap_or_default())
            .into_owned()
    }

    /// Waits for the process to exit and returns its status code and stderr.
    pub fn wait_exit(mut self, timeout: Duration) -> Option<(i32, String)> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(50));
                return Some((status.code().unwrap_or(-1), self.log()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the workspace's binaries are: `BIG_ISSUER_BIN_DIR`, else next to the running test
/// executable (`target/debug/deps/..`).
pub fn bin_path(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("BIG_ISSUER_BIN_DIR") {
        return PathBuf::from(dir).join(name);
    }
    let exe = std::env::current_exe().expect("current executable");
    let mut dir = exe.parent().expect("executable folder").to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --workspace --bins` first",
        path.display()
    );
    path
}

/// A free port on 127.0.0.1 (free when asked; the caller binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn capture(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let log = Arc::new(Mutex::new(Vec::new()));
    capture_into(stream, log.clone());
    log
}

fn capture_into(stream: impl Read + Send + 'static, sink: Arc<Mutex<Vec<u8>>>) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut l) = sink.lock() {
                l.extend_from_slice(&buf[..n]);
            }
        }
    });
}

/// Starts a function binary in local mode with exactly `env` (plus `PORT`), and waits until
/// `GET /health` answers 200.
pub fn start_function(name: &str, env: &[(&str, String)]) -> Running {
    let running = spawn_function(name, env, Some(free_port()));
    wait_healthy(&running);
    running
}

/// Starts a function binary that is expected to fail at start.
pub fn start_failing(name: &str, env: &[(&str, String)]) -> Running {
    spawn_function(name, env, None)
}

fn spawn_function(name: &str, env: &[(&str, String)], port: Option<u16>) -> Running {
    let mut command = Command::new(bin_path(name));
    command
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(port) = port {
        command.env("PORT", port.to_string());
    }
    let mut child = command.spawn().expect("start function");
    let log = capture(child.stderr.take().expect("stderr"));
    Running {
        child,
        port: port.unwrap_or(0),
        log,
    }
}

fn wait_healthy(running: &Running) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", running.port)) {
            use std::io::Write;
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            if stream
                .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .is_ok()
            {
                let mut answer = String::new();
                let _ = stream.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.1 200") {
                    return;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!(
        "the function did not become healthy; its log:\n{}",
        running.log()
    );
}

/// Starts the register stand-in binary with `args` and waits for its `listening on` line.
pub fn start_standin(args: &[&str]) -> Running {
    let mut child = Command::new(bin_path("big-register-standin"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start stand-in");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout
        .read_line(&mut line)
        .expect("stand-in announces its port");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected stand-in line: {line}"));
    let log = capture(child.stderr.take().expect("stderr"));
    Running { child, port, log }
}

/// Starts a function binary in Lambda mode against a Runtime API at `runtime_api`.
pub fn start_lambda(name: &str, runtime_api: &str, env: &[(&str, String)]) -> Running {
    let mut child = Command::new(bin_path(name))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("AWS_LAMBDA_RUNTIME_API", runtime_api)
        .env("AWS_LAMBDA_FUNCTION_NAME", name)
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start function");
    // Lambda collects both streams into one log; so do we, for the privacy checks.
    let log = Arc::new(Mutex::new(Vec::new()));
    capture_into(child.stdout.take().expect("stdout"), log.clone());
    capture_into(child.stderr.take().expect("stderr"), log.clone());
    Running {
        child,
        port: 0,
        log,
    }
}
