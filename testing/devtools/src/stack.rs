//! A whole local stack for end-to-end tests: keys written to a temporary folder, the register
//! stand-in, and both functions in local mode, configured only through the contract's
//! environment variables.

use std::path::PathBuf;
use std::sync::OnceLock;

use big_issuer::testkit::TestKey;

use crate::procs::{Running, start_function, start_standin};

/// The keys of a test run: the IRMA server's (signs results) and ours (signs requests).
pub struct Keys {
    /// The stand-in IRMA server's key pair.
    pub irma: TestKey,
    /// The requestor key pair of the functions.
    pub requestor: TestKey,
    /// A key nobody trusts.
    pub foreign: TestKey,
    dir: PathBuf,
}

impl Keys {
    /// Generated once per test process, written to a fresh temporary folder.
    pub fn get() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("big-issuer-test-keys-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("key folder");
            let keys = Keys {
                irma: TestKey::generate(),
                requestor: TestKey::generate(),
                foreign: TestKey::generate(),
                dir,
            };
            std::fs::write(keys.path("irma.pub.pem"), &keys.irma.public_pem).expect("write key");
            std::fs::write(keys.path("requestor.pem"), &keys.requestor.private_pem)
                .expect("write key");
            keys
        })
    }

    /// A file in the key folder.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

/// The running stack. Everything stops when it is dropped.
pub struct Stack {
    /// The register stand-in.
    pub register: Running,
    /// `issuance-request` in local mode.
    pub issuance: Running,
    /// `disclosure-callback` in local mode.
    pub callback: Running,
}

/// How to start a stack.
#[derive(Clone, Debug)]
pub struct StackOptions {
    /// Stand-in behaviour (`--behaviour`).
    pub register_behaviour: &'static str,
    /// Extra environment for both functions (overrides the defaults).
    pub env: Vec<(&'static str, String)>,
    /// Whether flow A is on (`DISCLOSURE_CALLBACK_URL` set on issuance-request).
    pub chained: bool,
}

impl Default for StackOptions {
    fn default() -> Self {
        StackOptions {
            register_behaviour: "honest",
            env: vec![],
            chained: true,
        }
    }
}

/// The smallest configuration of both functions against the register at `register_url`, with
/// this test run's keys.
pub fn function_env(register_url: &str) -> Vec<(&'static str, String)> {
    let keys = Keys::get();
    vec![
        ("IRMA_SERVER_URL", "https://irma.example.test".into()),
        ("IRMA_SERVER_PUBLIC_KEY_FILE", keys.path("irma.pub.pem")),
        ("SIGNING_KEY_FILE", keys.path("requestor.pem")),
        ("BIG_REGISTER_URL", register_url.to_string()),
    ]
}

impl Stack {
    /// Starts the stand-in and both functions with the default options.
    pub fn start() -> Stack {
        Stack::start_with(StackOptions::default())
    }

    /// Starts the stand-in and both functions.
    pub fn start_with(options: StackOptions) -> Stack {
        let register = start_standin(&["--behaviour", options.register_behaviour]);
        let mut issuance_env = function_env(&register.url());
        issuance_env.push(("BIG_REGISTER_TIMEOUT_MS", "1500".into()));
        issuance_env.push(("ALLOWED_ORIGINS", "https://page.example.test".into()));
        issuance_env.extend(options.env.iter().cloned());
        // The callback signs nothing: it gets no key, as in the SAM template.
        let mut env = issuance_env.clone();
        env.retain(|(name, _)| *name != "SIGNING_KEY_FILE");
        let callback = start_function("disclosure-callback", &env);
        if options.chained {
            issuance_env.push(("DISCLOSURE_CALLBACK_URL", format!("{}/", callback.url())));
        }
        let issuance = start_function("issuance-request", &issuance_env);
        Stack {
            register,
            issuance,
            callback,
        }
    }

    /// Both functions' logs together.
    pub fn logs(&self) -> String {
        format!("{}\n{}", self.issuance.log(), self.callback.log())
    }
}
