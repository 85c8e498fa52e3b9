#!/usr/bin/env python3
"""The requestor signing key, for operators (docs/operations.md).

    keys.py generate    [--out keys] [--bits 4096] [--force]
    keys.py put         (--secret-id ID | --stack NAME) [--key-file keys/requestor.pem] [--create]
    keys.py irma-config [--public-key keys/requestor.pub.pem] [--key-file-path PATH]

`generate` writes an RSA key pair: requestor.pem (PKCS#8, mode 0600) and requestor.pub.pem
(SPKI, the form irmago's `publickey` requestors read). `put` stores the private key as a new
version of the Secrets Manager secret that issuance-request reads (SIGNING_KEY_SECRET_ID); boto3
takes credentials and region the usual way and honours AWS_ENDPOINT_URL(_SECRETS_MANAGER), so the
tests point it at a local stand-in. `irma-config` prints this issuer's entry for the IRMA
server's `requestors` map, from the same variables the functions read (REQUESTOR_NAME,
IDENTITY_SOURCES, BIG_CREDENTIAL; DESIGN.md section 8) with the same defaults.

Runs from the project's virtualenv (`make venv`). Never prints the private key.
"""

import argparse
import json
import os
import re
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

# The contract's defaults (DESIGN.md section 8), kept in step with shared/src/config.rs.
DEFAULT_REQUESTOR_NAME = "big_issuer"
DEFAULT_BIG_CREDENTIAL = "pbdf.pbdf.big"
DEFAULT_IDENTITY_SOURCES = (
    "idin=pbdf.pbdf.idin,brp=pbdf.gemeente.personalData,"
    "passport=pbdf.pbdf.passport,idcard=pbdf.pbdf.idcard"
)
SOURCE_KINDS = ("idin", "brp", "passport", "idcard")
CREDENTIAL_ID = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
# The template's output that names the secret (template.yaml).
SECRET_OUTPUT = "SigningKeySecretArn"


class Refusal(Exception):
    """A problem the operator can fix; printed as one line, without key material."""


def generate(args):
    out = Path(args.out)
    private_path, public_path = out / "requestor.pem", out / "requestor.pub.pem"
    existing = [p for p in (private_path, public_path) if p.exists()]
    if existing and not args.force:
        raise Refusal(f"{existing[0]} exists; keep it, or pass --force to replace the key pair")
    out.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=args.bits)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Created with 0600 from the start, so the key is never readable by others, not even briefly.
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(private_pem)
    public_path.write_bytes(public_pem_of(key))
    print(f"wrote {private_path} (private, RSA {args.bits}) and {public_path} (public)")


def public_pem_of(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(path):
    try:
        data = Path(path).read_bytes()
    except OSError:
        raise Refusal(f"{path} cannot be read") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise Refusal(f"{path} is not an unencrypted private key in PEM form") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise Refusal(f"{path} is not an RSA key (IRMA requestor JWTs are RS256)")
    if key.key_size < 2048:
        raise Refusal(f"{path} is RSA {key.key_size}; use 2048 bits or more")
    return key


def put(args):
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    key = load_private_key(args.key_file)
    # PKCS#8 whatever the file held (`openssl genrsa` writes PKCS#1): one form in the store.
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    # botocore reads AWS_DEFAULT_REGION; the functions (Rust SDK) and sam read AWS_REGION too.
    session = boto3.session.Session(region_name=os.environ.get("AWS_REGION"))
    try:
        secret_id = args.secret_id or secret_of_stack(session, args.stack)
        client = session.client("secretsmanager")
        try:
            answer = client.put_secret_value(SecretId=secret_id, SecretString=pem)
        except ClientError as e:
            if not (args.create and error_code(e) == "ResourceNotFoundException"):
                raise
            answer = client.create_secret(Name=secret_id, SecretString=pem)
    except NoRegionError:
        raise Refusal("no AWS region: set AWS_REGION (or a profile's region)") from None
    except NoCredentialsError:
        raise Refusal("no AWS credentials: set a profile or the AWS_* variables") from None
    except ClientError as e:
        raise Refusal(f"AWS refused: {error_code(e)}") from None
    except BotoCoreError as e:
        raise Refusal(f"AWS could not be reached: {type(e).__name__}") from None
    print(
        f"stored version {answer.get('VersionId', '?')} of {answer.get('ARN', secret_id)}; "
        "issuance-request uses it after at most SIGNING_KEY_TTL_SECS (new instances at once)"
    )


def error_code(e):
    return e.response.get("Error", {}).get("Code", "error")


def secret_of_stack(session, stack):
    stacks = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    for output in stacks[0].get("Outputs", []) if stacks else []:
        if output.get("OutputKey") == SECRET_OUTPUT:
            return output["OutputValue"]
    raise Refusal(f"stack {stack} has no output {SECRET_OUTPUT}; is it this template's stack?")


def identity_sources(value):
    """`kind=credential` pairs, checked as shared/src/config.rs checks IDENTITY_SOURCES."""
    sources = []
    for pair in (p.strip() for p in value.split(",")):
        if not pair:
            continue
        kind, sep, credential = (s.strip() for s in pair.partition("="))
        if not sep or kind not in SOURCE_KINDS or not CREDENTIAL_ID.match(credential):
            raise Refusal(
                "IDENTITY_SOURCES must be kind=credential pairs (kinds: "
                + ", ".join(SOURCE_KINDS)
                + "), comma-separated"
            )
        if any(k == kind or c == credential for k, c in sources):
            raise Refusal("IDENTITY_SOURCES names a kind or credential twice")
        sources.append((kind, credential))
    if not sources:
        raise Refusal("IDENTITY_SOURCES names no source")
    return sources


def irma_config(args):
    name = args.requestor_name or os.environ.get("REQUESTOR_NAME") or DEFAULT_REQUESTOR_NAME
    big = args.big_credential or os.environ.get("BIG_CREDENTIAL") or DEFAULT_BIG_CREDENTIAL
    if not CREDENTIAL_ID.match(big):
        raise Refusal("BIG_CREDENTIAL must be a credential type id like scheme.issuer.credential")
    sources = identity_sources(
        args.identity_sources or os.environ.get("IDENTITY_SOURCES") or DEFAULT_IDENTITY_SOURCES
    )
    entry = {
        "auth_method": "publickey",
        # The disclosure request asks for any one of the enabled sources; the two-step
        # issuance request discloses the same source again, which irmago also checks against
        # disclose_perms.
        "disclose_perms": [f"{credential}.*" for _, credential in sources],
        # Since irmago 0.19 a chained next session is authorized against this (the first)
        # requestor, so the issuance after the callback needs the permission here.
        "issue_perms": [big],
    }
    if args.key_file_path:
        entry["key_file"] = args.key_file_path
    else:
        try:
            public = serialization.load_pem_public_key(Path(args.public_key).read_bytes())
        except OSError:
            raise Refusal(f"{args.public_key} cannot be read; run `make keys` first") from None
        except ValueError:
            raise Refusal(f"{args.public_key} is not a public key in PEM form") from None
        if not isinstance(public, rsa.RSAPublicKey):
            raise Refusal(f"{args.public_key} is not an RSA public key")
        entry["key"] = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
    print(json.dumps({"requestors": {name: entry}}, indent=2))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("generate", help="write a new RSA key pair")
    p.add_argument("--out", default="keys", help="folder (default: keys, ignored by git)")
    p.add_argument("--bits", type=int, choices=(2048, 3072, 4096), default=4096)
    p.add_argument("--force", action="store_true", help="replace an existing pair")
    p.set_defaults(run=generate)

    p = commands.add_parser("put", help="store the private key in the signing-key secret")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--secret-id", help="secret name or ARN")
    target.add_argument("--stack", help="take the secret from this stack's outputs")
    p.add_argument("--key-file", default="keys/requestor.pem")
    p.add_argument(
        "--create", action="store_true", help="create the secret if it does not exist (tests)"
    )
    p.set_defaults(run=put)

    p = commands.add_parser("irma-config", help="print the IRMA server's requestor entry")
    p.add_argument("--public-key", default="keys/requestor.pub.pem")
    p.add_argument(
        "--key-file-path", help="refer to the key by its path on the IRMA server instead"
    )
    p.add_argument("--requestor-name", help="default: $REQUESTOR_NAME or big_issuer")
    p.add_argument("--identity-sources", help="default: $IDENTITY_SOURCES or the contract's")
    p.add_argument("--big-credential", help="default: $BIG_CREDENTIAL or pbdf.pbdf.big")
    p.set_defaults(run=irma_config)

    args = parser.parse_args(argv)
    try:
        args.run(args)
    except Refusal as e:
        print(f"keys.py {args.command}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
