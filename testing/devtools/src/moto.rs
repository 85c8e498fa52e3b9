//! A local AWS Secrets Manager for tests: moto's server mode from the project's virtualenv
//! (`make venv`), on 127.0.0.1, changed through the operator's own `infra/keys.py` so the
//! tests exercise the tool operators use. Without the virtualenv the tests fail, saying how
//! to make it: a skipped test would let the Secrets Manager path go unproven.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::procs::free_port;

/// The workspace root (where `.venv` and `infra/` are).
pub fn workspace_root() -> PathBuf {
    let devtools = Path::new(env!("CARGO_MANIFEST_DIR"));
    devtools
        .ancestors()
        .nth(2)
        .unwrap_or(devtools)
        .to_path_buf()
}

/// A program from the project's virtualenv; panics with the fix when it is missing.
pub fn venv_bin(name: &str) -> PathBuf {
    let path = workspace_root().join(".venv/bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `make venv` (make test does) to install moto, boto3 and the \
         template tools into .venv",
        path.display()
    );
    path
}

/// A running `moto_server`; killed on drop.
pub struct Moto {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Moto {
    /// Starts moto on a free port and waits until it answers.
    pub fn start() -> Moto {
        let port = free_port();
        let child = Command::new(venv_bin("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto { child, port };
        moto.wait_ready();
        moto
    }

    fn wait_ready(&self) {
        // moto imports Flask and every backend first: a couple of seconds on a cold cache.
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                use std::io::Write;
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let request =
                    "GET /moto-api/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
                let mut answer = String::new();
                if stream.write_all(request.as_bytes()).is_ok()
                    && stream.read_to_string(&mut answer).is_ok()
                    && answer.starts_with("HTTP/1.1 200")
                {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("moto_server did not answer on 127.0.0.1:{}", self.port);
    }

    /// The environment that points an AWS SDK (Rust or boto3) at this stand-in, with dummy
    /// credentials. The instance metadata service is switched off so that nothing ever
    /// looks for credentials off this machine.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                format!("http://127.0.0.1:{}", self.port),
            ),
            ("AWS_REGION", "eu-west-1".into()),
            // boto3 reads this one; the Rust SDK the one above.
            ("AWS_DEFAULT_REGION", "eu-west-1".into()),
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ]
    }

    /// Runs `infra/keys.py ARGS` against this stand-in, with only this environment.
    pub fn keys_tool(&self, args: &[&str]) -> Output {
        let mut all = vec![workspace_root().join("infra/keys.py").into_os_string()];
        all.extend(args.iter().map(OsString::from));
        self.python(all)
    }

    /// Runs one boto3 statement against this stand-in, with `sm` a Secrets Manager client:
    /// for what the operator's tool rightly refuses to do (store a value that is no key).
    pub fn secretsmanager(&self, statement: &str) -> Output {
        let code = format!("import boto3\nsm = boto3.client('secretsmanager')\n{statement}\n");
        self.python(vec!["-c".into(), code.into()])
    }

    fn python(&self, args: Vec<OsString>) -> Output {
        let output = Command::new(venv_bin("python"))
            .args(&args)
            .env_clear()
            .envs(self.env())
            .stdin(Stdio::null())
            .output()
            .expect("run the virtualenv's python");
        assert!(
            output.status.success(),
            "python {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
