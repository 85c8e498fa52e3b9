//! The BIG-register stand-in as a process, for `make run`, demos and end-to-end tests.
//!
//! ```text
//! big-register-standin [--port N] [--persons FILE] [--behaviour NAME]
//! ```
//!
//! Binds 127.0.0.1 only (port 0, the default, picks a free one), prints exactly one line
//! `listening on 127.0.0.1:PORT` to stdout, then serves until killed. Never logs requests.

use std::io::Write;
use std::process::ExitCode;

use big_issuer_devtools::standin::{self, Behaviour, Database};

const USAGE: &str = "usage: big-register-standin [--port N] [--persons FILE] \
                     [--behaviour honest|ignore-date-of-birth|hang|slow-drip|fault|\
                     status-500-empty|garbage|doctype|huge]";

struct Options {
    port: u16,
    persons: Option<String>,
    behaviour: Behaviour,
}

enum Parsed {
    Run(Options),
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Parsed, String> {
    let mut options = Options {
        port: 0,
        persons: None,
        behaviour: Behaviour::Honest,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // `--flag value` and `--flag=value` both work.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--port" => {
                let raw = value("--port")?;
                options.port = raw
                    .parse()
                    .map_err(|_| format!("--port: not a port number (0-65535): {raw}"))?;
            }
            "--persons" => options.persons = Some(value("--persons")?),
            "--behaviour" | "--behavior" => {
                let raw = value("--behaviour")?;
                options.behaviour = raw.parse().map_err(|e| format!("--behaviour {raw}: {e}"))?;
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Parsed::Run(options))
}

fn load(persons: Option<&str>) -> Result<Database, String> {
    match persons {
        None => Database::from_json(standin::DEMO_PERSONS_JSON).map_err(|e| e.to_string()),
        Some(path) => {
            let json = std::fs::read_to_string(path)
                .map_err(|e| format!("--persons {path}: cannot read: {e}"))?;
            Database::from_json(&json).map_err(|e| format!("--persons {path}: {e}"))
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("big-register-standin: {error} ({USAGE})");
            return ExitCode::from(2);
        }
    };
    let db = match load(options.persons.as_deref()) {
        Ok(db) => db,
        Err(error) => {
            eprintln!("big-register-standin: {error}");
            return ExitCode::from(2);
        }
    };
    let listener =
        match tokio::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, options.port)).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!(
                    "big-register-standin: cannot listen on 127.0.0.1:{}: {error}",
                    options.port
                );
                return ExitCode::from(1);
            }
        };
    let port = match listener.local_addr() {
        Ok(addr) => addr.port(),
        Err(error) => {
            eprintln!("big-register-standin: cannot read the bound address: {error}");
            return ExitCode::from(1);
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on 127.0.0.1:{port}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    drop(stdout);
    eprintln!(
        "big-register-standin: {} persons, behaviour {}",
        db.persons().len(),
        options.behaviour
    );
    standin::serve(listener, db, options.behaviour).await;
    ExitCode::SUCCESS
}
