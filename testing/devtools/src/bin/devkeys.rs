//! `devkeys DIR`: development keys for the local stack, generated once into DIR (ignored by
//! git): the requestor key pair our functions sign with, and the key pair the demo's stand-in
//! IRMA server signs session results with. Existing files are kept.

use std::path::Path;
use std::process::ExitCode;

use big_issuer::testkit::TestKey;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: devkeys DIR");
        return ExitCode::FAILURE;
    };
    let dir = Path::new(&dir);
    if std::fs::create_dir_all(dir).is_err() {
        eprintln!("devkeys: cannot create the key folder");
        return ExitCode::FAILURE;
    }
    for name in ["requestor", "irma-server"] {
        let private = dir.join(format!("{name}.pem"));
        let public = dir.join(format!("{name}.pub.pem"));
        if private.exists() && public.exists() {
            continue;
        }
        let key = TestKey::generate();
        if std::fs::write(&private, &key.private_pem).is_err()
            || std::fs::write(&public, &key.public_pem).is_err()
        {
            eprintln!("devkeys: cannot write the {name} key");
            return ExitCode::FAILURE;
        }
        println!("generated {name} key pair");
    }
    ExitCode::SUCCESS
}
