//! A stand-in for the BIG register's SOAP 1.1 service (`ListHcpApprox4`,
//! `GetRibizReferenceData`), for `make run`, demos and integration tests. Never deployed.
//!
//! It answers from a small person database loaded from JSON ([`Database`]), matching `Name`
//! the way the real register does (partially, without case or diacritics, against the mailing
//! name), and writes answers shaped exactly like `reference/BIGRegister-v4.wsdl` and the
//! recorded traffic. A [`Behaviour`] turns it into a misbehaving register: one that ignores the
//! date-of-birth filter, hangs, drips, faults, or answers garbage, a DOCTYPE or 10 MiB.
//!
//! Nothing of a request is logged: names and dates of birth are personal data even here.

use std::convert::Infallible;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Limited};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;
use quick_xml::writer::Writer;
use serde::Deserialize;
use tokio::net::TcpListener;
use tokio::time::Sleep;

/// The register's target namespace (WSDL `tns`).
pub const REGISTER_NS: &str = "http://services.cibg.nl/ExternalUser";
/// `SOAPAction` of `ListHcpApprox4`, unquoted (the stand-in accepts it quoted or not).
pub const LIST_HCP_APPROX_ACTION: &str = "http://services.cibg.nl/ExternalUser/ListHcpApprox4";
/// `SOAPAction` of `GetRibizReferenceData`, unquoted.
pub const REFERENCE_DATA_ACTION: &str =
    "http://services.cibg.nl/ExternalUser/GetRibizReferenceData";
/// The bundled demo persons (`data/demo-persons.json`), one per outcome of the issuer.
pub const DEMO_PERSONS_JSON: &str = include_str!("../data/demo-persons.json");

/// The size of the [`Behaviour::Huge`] answer's person list: 10 MiB.
pub const HUGE_ANSWER_BYTES: usize = 10 * 1024 * 1024;
/// The pause between two bytes of a [`Behaviour::SlowDrip`] answer.
pub const DRIP_INTERVAL: Duration = Duration::from_millis(200);

const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
const TEXT_XML: &str = "text/xml; charset=utf-8";
/// Requests larger than this are refused unread: a real request is well under 1 KiB.
const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// `ArticleRegistrationEndDate` for "no end date".
const OPEN_END: &str = "0001-01-01T00:00:00";
/// `ArticleRegistrationEndDate` for a registration struck off permanently.
const STRUCK_OFF_END: &str = "0002-01-01T00:00:00";
/// The value of a registration's `end` in the JSON that means "struck off".
const STRUCK_OFF: &str = "struck-off";

// ---------------------------------------------------------------------------------------------
// The person database

/// One person in the stand-in register, as written in the JSON database.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Free text for the reader of the JSON file; never sent.
    #[serde(default)]
    pub comment: Option<String>,
    /// `yyyy-MM-dd`; the register filters on it but never returns it.
    pub date_of_birth: String,
    /// `BirthSurname`.
    pub birth_surname: String,
    /// `Prefix`: absent -> no element, `""` -> an empty element.
    #[serde(default)]
    pub prefix: Option<String>,
    /// `Initial`, e.g. `A.M.`.
    pub initials: String,
    /// `Gender`: `M` or `V`.
    pub gender: String,
    /// `MailingName`: what `Name` is matched against.
    pub mailing_name: String,
    /// One per profession.
    #[serde(default)]
    pub registrations: Vec<RegistrationRecord>,
    /// Public measures (`JudgmentProvision`).
    #[serde(default)]
    pub measures: Vec<MeasureRecord>,
}

/// One registration (`ArticleRegistrationExtApp`) of a [`Person`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RegistrationRecord {
    /// 11 digits.
    pub big_number: String,
    /// `yyyy-MM-dd`.
    pub start: String,
    /// `yyyy-MM-dd`, or `"struck-off"` (-> `0002-01-01T00:00:00`); absent -> no end
    /// (`0001-01-01T00:00:00`).
    #[serde(default)]
    pub end: Option<String>,
    /// `ProfessionalGroupCode`, two digits (`"01"`).
    pub profession: String,
    /// `TypeOfSpecialismId`s of this registration.
    #[serde(default)]
    pub specialisms: Vec<u32>,
}

/// One public measure (`JudgmentProvisionExtApp`) of a [`Person`].
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MeasureRecord {
    /// The BIG number the measure applies to (`ArticleNumber`).
    pub big_number: String,
    /// `yyyy-MM-dd`.
    pub start: String,
    /// `yyyy-MM-dd`; absent -> `<EndDate xsi:nil="true" />`.
    #[serde(default)]
    pub end: Option<String>,
    /// `PublicDescription`.
    pub description: String,
}

/// The stand-in's register: a validated list of persons. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Database {
    persons: Arc<Vec<Person>>,
}

/// Why a person database could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseError(String);

impl fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DatabaseError {}

/// The JSON file: either a list of persons or `{"comment": ..., "persons": [...]}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatabaseFile {
    #[serde(default)]
    #[allow(dead_code)]
    comment: Option<String>,
    persons: Vec<Person>,
}

impl Database {
    /// A database of these persons, after checking every field's shape.
    pub fn new(persons: Vec<Person>) -> Result<Database, DatabaseError> {
        for (index, person) in persons.iter().enumerate() {
            validate_person(person).map_err(|e| DatabaseError(format!("person #{index}: {e}")))?;
        }
        Ok(Database {
            persons: Arc::new(persons),
        })
    }

    /// Loads a database from JSON: a list of persons, or an object with a `persons` list.
    pub fn from_json(json: &str) -> Result<Database, DatabaseError> {
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| DatabaseError(format!("not valid JSON: {e}")))?;
        let persons = if value.is_array() {
            serde_json::from_value::<Vec<Person>>(value)
        } else {
            serde_json::from_value::<DatabaseFile>(value).map(|file| file.persons)
        }
        .map_err(|e| DatabaseError(format!("not a person database: {e}")))?;
        Database::new(persons)
    }

    /// The bundled demo persons ([`DEMO_PERSONS_JSON`]).
    pub fn demo() -> Database {
        // The file is part of this crate and a test loads it; it cannot be invalid at run time.
        Database::from_json(DEMO_PERSONS_JSON).expect("the bundled demo-persons.json is valid")
    }

    /// Every person, in file order (which is also answer order).
    pub fn persons(&self) -> &[Person] {
        &self.persons
    }
}

fn validate_person(person: &Person) -> Result<(), String> {
    check_date(&person.date_of_birth, "date_of_birth")?;
    if !matches!(person.gender.as_str(), "M" | "V") {
        return Err("gender must be \"M\" or \"V\"".into());
    }
    for registration in &person.registrations {
        check_big_number(&registration.big_number)?;
        check_date(&registration.start, "registration start")?;
        match registration.end.as_deref() {
            None | Some(STRUCK_OFF) => {}
            Some(end) => check_date(end, "registration end")?,
        }
        let code = registration.profession.as_bytes();
        if code.len() != 2 || !code.iter().all(u8::is_ascii_digit) {
            return Err("profession must be two digits, e.g. \"01\"".into());
        }
    }
    for measure in &person.measures {
        check_big_number(&measure.big_number)?;
        if !person
            .registrations
            .iter()
            .any(|r| r.big_number == measure.big_number)
        {
            return Err("a measure's big_number must be one of the person's registrations".into());
        }
        check_date(&measure.start, "measure start")?;
        if let Some(end) = &measure.end {
            check_date(end, "measure end")?;
        }
    }
    Ok(())
}

fn check_big_number(number: &str) -> Result<(), String> {
    if number.len() == 11 && number.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("big_number must be 11 digits".into())
    }
}

fn check_date(date: &str, what: &str) -> Result<(), String> {
    if is_iso_date(date) {
        Ok(())
    } else {
        Err(format!("{what} must be a date yyyy-MM-dd"))
    }
}

/// `yyyy-MM-dd`, a real calendar date.
fn is_iso_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit());
    if !shaped {
        return false;
    }
    let parts = (
        date.get(0..4).and_then(|y| y.parse::<i32>().ok()),
        date.get(5..7)
            .and_then(|m| m.parse::<u8>().ok())
            .and_then(|m| time::Month::try_from(m).ok()),
        date.get(8..10).and_then(|d| d.parse::<u8>().ok()),
    );
    match parts {
        (Some(year), Some(month), Some(day)) => {
            time::Date::from_calendar_date(year, month, day).is_ok()
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Behaviour

/// How the stand-in answers. [`Behaviour::Honest`] is a correct register; every other one
/// reproduces a way a register (or the network to it) can fail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Behaviour {
    /// Answers like the real register.
    #[default]
    Honest,
    /// Answers like the real register but without applying the `DateOfBirth` filter.
    IgnoreDateOfBirth,
    /// Accepts the request and never answers.
    Hang,
    /// Sends the honest answer one byte every [`DRIP_INTERVAL`].
    SlowDrip,
    /// HTTP 500 with a SOAP fault, whatever the request.
    Fault,
    /// HTTP 500 without a body.
    Status500Empty,
    /// HTTP 200 with bytes that are not XML.
    Garbage,
    /// HTTP 200 with a SOAP answer that declares a DOCTYPE with entities.
    Doctype,
    /// HTTP 200 streaming a well-formed-looking answer of [`HUGE_ANSWER_BYTES`].
    Huge,
}

impl Behaviour {
    /// Every behaviour, in the order of the CLI's help.
    pub const ALL: [Behaviour; 9] = [
        Behaviour::Honest,
        Behaviour::IgnoreDateOfBirth,
        Behaviour::Hang,
        Behaviour::SlowDrip,
        Behaviour::Fault,
        Behaviour::Status500Empty,
        Behaviour::Garbage,
        Behaviour::Doctype,
        Behaviour::Huge,
    ];

    /// The CLI name (`ignore-date-of-birth`).
    pub fn name(self) -> &'static str {
        match self {
            Behaviour::Honest => "honest",
            Behaviour::IgnoreDateOfBirth => "ignore-date-of-birth",
            Behaviour::Hang => "hang",
            Behaviour::SlowDrip => "slow-drip",
            Behaviour::Fault => "fault",
            Behaviour::Status500Empty => "status-500-empty",
            Behaviour::Garbage => "garbage",
            Behaviour::Doctype => "doctype",
            Behaviour::Huge => "huge",
        }
    }
}

impl fmt::Display for Behaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Behaviour::ALL`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownBehaviour;

impl fmt::Display for UnknownBehaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown behaviour, expected one of ")?;
        let names: Vec<&str> = Behaviour::ALL.iter().map(|b| b.name()).collect();
        f.write_str(&names.join("|"))
    }
}

impl std::error::Error for UnknownBehaviour {}

impl FromStr for Behaviour {
    type Err = UnknownBehaviour;

    fn from_str(s: &str) -> Result<Behaviour, UnknownBehaviour> {
        Behaviour::ALL
            .into_iter()
            .find(|b| b.name() == s)
            .ok_or(UnknownBehaviour)
    }
}

// ---------------------------------------------------------------------------------------------
// Serving

/// A stand-in running in a background task: its address and its request counter.
#[derive(Clone, Debug)]
pub struct Standin {
    /// Where it listens (127.0.0.1, a free port).
    pub addr: SocketAddr,
    /// Every HTTP request it received, whatever its behaviour did with it.
    pub requests: Arc<AtomicUsize>,
}

impl Standin {
    /// The endpoint URL, shaped like the real one (`http://127.0.0.1:PORT/zksrv/soap/4`).
    pub fn url(&self) -> String {
        format!("http://{}/zksrv/soap/4", self.addr)
    }

    /// How many requests it has received so far.
    pub fn request_count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Binds 127.0.0.1 on a free port and serves `db` with `behaviour` in a background task of the
/// current tokio runtime. Returns the address; see [`spawn_counted`] for the request counter.
pub async fn spawn(db: Database, behaviour: Behaviour) -> SocketAddr {
    spawn_counted(db, behaviour).await.addr
}

/// Like [`spawn`], returning the address together with the request counter.
pub async fn spawn_counted(db: Database, behaviour: Behaviour) -> Standin {
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("the stand-in can bind 127.0.0.1:0");
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    let requests = Arc::new(AtomicUsize::new(0));
    tokio::spawn(serve_counted(listener, db, behaviour, requests.clone()));
    Standin { addr, requests }
}

/// Serves HTTP/1.1 on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, db: Database, behaviour: Behaviour) {
    serve_counted(listener, db, behaviour, Arc::new(AtomicUsize::new(0))).await;
}

/// Like [`serve`], counting every request into `requests`.
pub async fn serve_counted(
    listener: TcpListener,
    db: Database,
    behaviour: Behaviour,
    requests: Arc<AtomicUsize>,
) {
    let state = Arc::new(State {
        db,
        behaviour,
        requests,
    });
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(_) => {
                // Out of file descriptors or a connection reset before accept: wait, go on.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(state.answer(request).await) }
            });
            // A client that goes away mid-answer is no error of the stand-in's.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

struct State {
    db: Database,
    behaviour: Behaviour,
    requests: Arc<AtomicUsize>,
}

impl State {
    async fn answer(&self, request: Request<Incoming>) -> Response<AnswerBody> {
        let number = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        // For scripts that wait for the stand-in; no client of the register ever sends it.
        if request.method() == Method::GET && request.uri().path() == "/health" {
            return response(
                StatusCode::OK,
                Some("text/plain; charset=utf-8"),
                AnswerBody::full(&b"ok\n"[..]),
            );
        }
        match self.behaviour {
            Behaviour::Hang => return std::future::pending().await,
            Behaviour::Fault => {
                return fault(number, "The service is temporarily unavailable");
            }
            Behaviour::Status500Empty => {
                return response(StatusCode::INTERNAL_SERVER_ERROR, None, AnswerBody::empty());
            }
            Behaviour::Garbage => {
                return xml_response(StatusCode::OK, AnswerBody::full(GARBAGE));
            }
            Behaviour::Doctype => {
                return xml_response(StatusCode::OK, AnswerBody::full(DOCTYPE_ANSWER));
            }
            Behaviour::Huge => return xml_response(StatusCode::OK, AnswerBody::huge()),
            Behaviour::Honest | Behaviour::IgnoreDateOfBirth | Behaviour::SlowDrip => {}
        }
        let answer = self.honest(request, number).await;
        if self.behaviour == Behaviour::SlowDrip {
            let (parts, body) = answer.into_parts();
            Response::from_parts(parts, body.drip())
        } else {
            answer
        }
    }

    /// The answer of a correct register (the date filter off for `IgnoreDateOfBirth`).
    async fn honest(&self, request: Request<Incoming>, number: usize) -> Response<AnswerBody> {
        if request.method() != Method::POST {
            let mut answer = response(
                StatusCode::METHOD_NOT_ALLOWED,
                Some("text/plain; charset=utf-8"),
                AnswerBody::full(&b"POST a SOAP 1.1 envelope\n"[..]),
            );
            answer
                .headers_mut()
                .insert(http::header::ALLOW, HeaderValue::from_static("POST"));
            return answer;
        }
        let Some(operation) = operation(request.headers()) else {
            return fault(
                number,
                "Server did not recognize the value of HTTP Header SOAPAction",
            );
        };
        let body = match Limited::new(request.into_body(), MAX_REQUEST_BYTES)
            .collect()
            .await
        {
            Ok(collected) => collected.to_bytes(),
            Err(_) => {
                return response(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Some("text/plain; charset=utf-8"),
                    AnswerBody::full(&b"request too large\n"[..]),
                );
            }
        };
        let envelope = match parse_envelope(&body) {
            Ok(envelope) => envelope,
            Err(message) => return fault(number, message),
        };
        let written = match operation {
            Operation::ListHcpApprox4 => {
                if !envelope.is_operation("listHcpApproxRequest") {
                    return fault(number, BODY_MISMATCH);
                }
                let search = match Search::from_fields(&envelope.fields) {
                    Ok(search) => search,
                    Err(message) => return fault(number, message),
                };
                let ignore_date = self.behaviour == Behaviour::IgnoreDateOfBirth;
                let found: Vec<(usize, &Person)> = self
                    .db
                    .persons()
                    .iter()
                    .enumerate()
                    .filter(|(_, person)| search.selects(person, ignore_date))
                    .collect();
                write_list_hcp_approx(&found)
            }
            Operation::GetRibizReferenceData => {
                if !envelope.is_operation("GetRibizReferenceData") {
                    return fault(number, BODY_MISMATCH);
                }
                write_reference_data()
            }
        };
        match written {
            Ok(xml) => xml_response(StatusCode::OK, AnswerBody::full(xml)),
            Err(_) => fault(number, "The answer could not be written"),
        }
    }
}

const BODY_MISMATCH: &str = "The body element does not match the SOAPAction";

#[derive(Clone, Copy)]
enum Operation {
    ListHcpApprox4,
    GetRibizReferenceData,
}

/// The operation a `SOAPAction` header names, quoted or not.
fn operation(headers: &HeaderMap) -> Option<Operation> {
    let value = headers.get("soapaction")?.to_str().ok()?.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    match value {
        LIST_HCP_APPROX_ACTION => Some(Operation::ListHcpApprox4),
        REFERENCE_DATA_ACTION => Some(Operation::GetRibizReferenceData),
        _ => None,
    }
}

fn response(
    status: StatusCode,
    content_type: Option<&'static str>,
    body: AnswerBody,
) -> Response<AnswerBody> {
    let mut answer = Response::new(body);
    *answer.status_mut() = status;
    if let Some(content_type) = content_type {
        answer
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    answer
}

fn xml_response(status: StatusCode, body: AnswerBody) -> Response<AnswerBody> {
    response(status, Some(TEXT_XML), body)
}

/// HTTP 500 with a SOAP 1.1 fault shaped like the register's (BIG-REGISTER.md section 1).
/// `message` is always one of the stand-in's fixed texts, never part of the request.
fn fault(number: usize, message: &str) -> Response<AnswerBody> {
    match write_fault(number, message) {
        Ok(xml) => xml_response(StatusCode::INTERNAL_SERVER_ERROR, AnswerBody::full(xml)),
        Err(_) => response(StatusCode::INTERNAL_SERVER_ERROR, None, AnswerBody::empty()),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the request

/// The one element in the SOAP body: its expanded name and its register children's texts.
struct Envelope {
    namespace: Option<String>,
    name: String,
    /// Local names and texts of the operation element's children in the register namespace.
    fields: Vec<(String, String)>,
}

impl Envelope {
    fn is_operation(&self, name: &str) -> bool {
        self.namespace.as_deref() == Some(REGISTER_NS) && self.name == name
    }
}

const MALFORMED: &str = "The request is not a well-formed SOAP 1.1 envelope";

/// Reads a SOAP 1.1 request: `Envelope`, optional `Header`, `Body` with one element, whose
/// direct children in the register namespace become fields. Namespace-aware: prefixes do not
/// matter, namespaces do.
fn parse_envelope(body: &[u8]) -> Result<Envelope, &'static str> {
    let text = std::str::from_utf8(body).map_err(|_| MALFORMED)?;
    let mut reader = NsReader::from_str(text);
    // The open elements: namespace and local name.
    let mut path: Vec<(Option<String>, String)> = Vec::new();
    let mut seen_root = false;
    let mut operation: Option<(Option<String>, String)> = None;
    let mut fields = Vec::new();
    let mut field_text = String::new();
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|_| MALFORMED)?;
        let namespace = match resolved {
            ResolveResult::Bound(Namespace(ns)) => Some(ns.to_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(_) => return Err(MALFORMED),
        };
        let in_body = path.len() >= 2
            && path[0].0.as_deref() == Some(SOAP11_NS)
            && path[1].0.as_deref() == Some(SOAP11_NS)
            && path[1].1 == "Body";
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let element = (namespace, start.local_name().into_inner().to_owned());
                match path.len() {
                    0 => {
                        if seen_root
                            || element.0.as_deref() != Some(SOAP11_NS)
                            || element.1 != "Envelope"
                        {
                            return Err(MALFORMED);
                        }
                        seen_root = true;
                    }
                    2 if in_body => {
                        if operation.is_some() {
                            return Err(MALFORMED);
                        }
                        operation = Some(element.clone());
                    }
                    3 if in_body => field_text.clear(),
                    _ => {}
                }
                let empty = matches!(event, Event::Empty(_));
                if empty {
                    if path.len() == 3 && in_body && element.0.as_deref() == Some(REGISTER_NS) {
                        fields.push((element.1, String::new()));
                    }
                } else {
                    path.push(element);
                }
            }
            Event::End(_) => {
                // The reader checks that end names match their start names.
                let element = path.pop().ok_or(MALFORMED)?;
                let in_body = path.len() >= 2
                    && path[0].0.as_deref() == Some(SOAP11_NS)
                    && path[1].0.as_deref() == Some(SOAP11_NS)
                    && path[1].1 == "Body";
                if path.len() == 3 && in_body && element.0.as_deref() == Some(REGISTER_NS) {
                    fields.push((element.1, std::mem::take(&mut field_text)));
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                if path.is_empty() && !content.trim().is_empty() {
                    return Err(MALFORMED);
                }
                if path.len() == 4 && in_body {
                    field_text.push_str(&content);
                }
            }
            Event::CData(data) => {
                if path.len() == 4 && in_body {
                    field_text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let c = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*reference.into_inner() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        _ => return Err(MALFORMED),
                    },
                    Err(_) => return Err(MALFORMED),
                };
                if path.len() == 4 && in_body {
                    field_text.push(c);
                }
            }
            // A SOAP message must not carry a DTD (SOAP 1.1 section 3).
            Event::DocType(_) => return Err(MALFORMED),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !path.is_empty() {
        return Err(MALFORMED);
    }
    let (namespace, name) = operation.ok_or(MALFORMED)?;
    Ok(Envelope {
        namespace,
        name,
        fields,
    })
}

/// What a `listHcpApproxRequest` asks, validated like the register validates it.
struct Search {
    /// Folded name (see [`fold`]); `None`: no name filter.
    name: Option<String>,
    date_of_birth: Option<String>,
    gender: Option<String>,
    registration_number: Option<String>,
}

impl Search {
    fn from_fields(fields: &[(String, String)]) -> Result<Search, &'static str> {
        let field = |name: &str| -> Result<Option<&str>, &'static str> {
            let mut values = fields.iter().filter(|(n, _)| n == name).map(|(_, v)| v);
            let first = values.next().map(|v| v.trim());
            if values.next().is_some() {
                return Err(MALFORMED);
            }
            Ok(first.filter(|v| !v.is_empty()))
        };
        // "This must be set, and it's the only valid value" (IRMA BIGService.java).
        match field("WebSite")? {
            None => return Err("WebSite is required"),
            Some("Ribiz") => {}
            Some(_) => return Err("Wrong value for WebSite"),
        }
        let name = match field("Name")? {
            None => None,
            // "The term needs at least 2 letters" (Handleiding webservice BIG-register).
            Some(name) if big_issuer::names::letters(name).chars().count() < 2 => {
                return Err("Name must contain at least 2 letters");
            }
            Some(name) => Some(fold(name)),
        };
        let date_of_birth = match field("DateOfBirth")? {
            None => None,
            Some(date) if is_iso_date(date) => Some(date.to_owned()),
            Some(_) => return Err("Wrong value for DateOfBirth"),
        };
        let gender = field("Gender")?.map(str::to_owned);
        let registration_number = match field("RegistrationNumber")? {
            None => None,
            Some(number) if number.bytes().all(|b| b.is_ascii_digit()) => {
                Some(format!("{number:0>11}"))
            }
            // A non-numeric RegistrationNumber causes a fault [observed].
            Some(_) => return Err("Wrong value for RegistrationNumber"),
        };
        Ok(Search {
            name,
            date_of_birth,
            gender,
            registration_number,
        })
    }

    fn selects(&self, person: &Person, ignore_date_of_birth: bool) -> bool {
        let name_ok = self
            .name
            .as_ref()
            .is_none_or(|name| fold(&person.mailing_name).contains(name.as_str()));
        let date_ok = ignore_date_of_birth
            || self
                .date_of_birth
                .as_ref()
                .is_none_or(|date| *date == person.date_of_birth);
        let gender_ok = self
            .gender
            .as_ref()
            .is_none_or(|gender| *gender == person.gender);
        let number_ok = self
            .registration_number
            .as_ref()
            .is_none_or(|number| person.registrations.iter().any(|r| r.big_number == *number));
        name_ok && date_ok && gender_ok && number_ok
    }
}

/// A name as the register compares it: lower case, diacritics stripped (`Ç` -> `c`), runs of
/// white space as one space, other characters (hyphen, apostrophe, dot) kept. Spaces stay
/// significant: `denHollander` is not in `A.M. den Hollander`.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let letters = big_issuer::names::letters(c.encode_utf8(&mut [0; 4]));
        if !letters.is_empty() {
            out.push_str(&letters);
        } else if matches!(c, '\u{2018}' | '\u{2019}') {
            out.push('\'');
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
        // Combining marks and other symbols are dropped, as the register ignores diacritics.
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Writing the answers

type XmlWriter = Writer<Vec<u8>>;

/// A SOAP 1.1 envelope around `body`, as the register writes it (`xsi` and `xsd` declared on
/// the envelope, empty elements as `<Name />`).
fn envelope<F>(body: F) -> io::Result<Vec<u8>>
where
    F: FnOnce(&mut XmlWriter) -> io::Result<()>,
{
    let mut writer = Writer::new(Vec::new());
    writer.config_mut().add_space_before_slash_in_empty_elements = true;
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    writer
        .create_element("soap:Envelope")
        .with_attribute(("xmlns:soap", SOAP11_NS))
        .with_attribute(("xmlns:xsi", XSI_NS))
        .with_attribute(("xmlns:xsd", XSD_NS))
        .write_inner_content(|w| {
            w.create_element("soap:Body").write_inner_content(body)?;
            Ok(())
        })?;
    Ok(writer.into_inner())
}

/// `<name>value</name>`, escaped; `<name />` for an empty value.
fn text(w: &mut XmlWriter, name: &str, value: &str) -> io::Result<()> {
    if value.is_empty() {
        w.create_element(name).write_empty()?;
    } else {
        w.create_element(name)
            .write_text_content(BytesText::new(value))?;
    }
    Ok(())
}

fn nil(w: &mut XmlWriter, name: &str) -> io::Result<()> {
    w.create_element(name)
        .with_attribute(("xsi:nil", "true"))
        .write_empty()?;
    Ok(())
}

fn date_time(date: &str) -> String {
    format!("{date}T00:00:00")
}

/// The `ListHcpApprox4Result` for these persons (with their index in the database, which
/// numbers their specialism and measure ids).
fn write_list_hcp_approx(persons: &[(usize, &Person)]) -> io::Result<Vec<u8>> {
    envelope(|w| {
        w.create_element("ListHcpApprox4Result")
            .with_attribute(("xmlns", REGISTER_NS))
            .write_inner_content(|w| {
                if persons.is_empty() {
                    // "No results" is HTTP 200 with an empty list [observed].
                    w.create_element("ListHcpApprox").write_empty()?;
                } else {
                    w.create_element("ListHcpApprox").write_inner_content(|w| {
                        for (index, person) in persons {
                            write_person(w, *index, person)?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

fn write_person(w: &mut XmlWriter, index: usize, person: &Person) -> io::Result<()> {
    w.create_element("ListHcpApprox4")
        .write_inner_content(|w| {
            text(w, "BirthSurname", &person.birth_surname)?;
            text(w, "MailingName", &person.mailing_name)?;
            if let Some(prefix) = &person.prefix {
                text(w, "Prefix", prefix)?;
            }
            text(w, "Initial", &person.initials)?;
            text(w, "Gender", &person.gender)?;
            list(w, "ArticleRegistration", &person.registrations, |w, r| {
                w.create_element("ArticleRegistrationExtApp")
                    .write_inner_content(|w| {
                        text(w, "ArticleRegistrationNumber", &r.big_number)?;
                        text(w, "ArticleRegistrationStartDate", &date_time(&r.start))?;
                        let end = match r.end.as_deref() {
                            None => OPEN_END.to_owned(),
                            Some(STRUCK_OFF) => STRUCK_OFF_END.to_owned(),
                            Some(end) => date_time(end),
                        };
                        text(w, "ArticleRegistrationEndDate", &end)?;
                        text(w, "ProfessionalGroupCode", &r.profession)
                    })?;
                Ok(())
            })?;
            let specialisms: Vec<(&str, u32)> = person
                .registrations
                .iter()
                .flat_map(|r| r.specialisms.iter().map(|&s| (r.big_number.as_str(), s)))
                .collect();
            let mut specialism_id = 1000 + index * 10;
            list(w, "Specialism", &specialisms, |w, (number, code)| {
                specialism_id += 1;
                w.create_element("SpecialismExtApp1")
                    .write_inner_content(|w| {
                        text(w, "SpecialismId", &specialism_id.to_string())?;
                        text(w, "ArticleRegistrationNumber", number)?;
                        text(w, "TypeOfSpecialismId", &code.to_string())
                    })?;
                Ok(())
            })?;
            w.create_element("Mention").write_empty()?;
            let mut measure_id = 600 + index * 10;
            list(w, "JudgmentProvision", &person.measures, |w, m| {
                measure_id += 1;
                w.create_element("JudgmentProvisionExtApp")
                    .write_inner_content(|w| {
                        text(w, "ArticleNumber", &m.big_number)?;
                        text(w, "Id", &measure_id.to_string())?;
                        text(w, "StartDate", &date_time(&m.start))?;
                        text(w, "PublicDescription", &m.description)?;
                        match &m.end {
                            Some(end) => text(w, "EndDate", &date_time(end))?,
                            None => nil(w, "EndDate")?,
                        }
                        text(w, "Public", "true")
                    })?;
                Ok(())
            })?;
            w.create_element("Limitation").write_empty()?;
            Ok(())
        })?;
    Ok(())
}

/// `<name>items</name>`, or `<name />` when there are none (as the register writes them).
fn list<T>(
    w: &mut XmlWriter,
    name: &str,
    items: &[T],
    mut item: impl FnMut(&mut XmlWriter, &T) -> io::Result<()>,
) -> io::Result<()> {
    if items.is_empty() {
        w.create_element(name).write_empty()?;
    } else {
        w.create_element(name).write_inner_content(|w| {
            for entry in items {
                item(w, entry)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// A few professional groups: code, plural description, English description, title.
const PROFESSIONAL_GROUPS: &[(&str, &str, &str, &str)] = &[
    ("01", "Artsen", "Doctors", "Arts"),
    ("02", "Tandartsen", "Dentists", "Tandarts"),
    ("17", "Apothekers", "Pharmacists", "Apotheker"),
    ("30", "Verpleegkundigen", "Nurses", "Verpleegkundige"),
];

/// A few specialisms: code, description, title of the specialist, professional group.
const TYPES_OF_SPECIALISM: &[(u32, &str, &str, &str)] = &[
    (13, "Maag-darm-leverziekten", "maag-darm-leverarts", "01"),
    (15, "Huisartsgeneeskunde", "huisarts", "01"),
    (16, "Interne geneeskunde", "internist", "01"),
    (75, "Openbare farmacie", "openbaar apotheker", "17"),
    (
        76,
        "Verpl. spec. algemene gezondheidszorg",
        "verpleegkundig specialist",
        "30",
    ),
];

fn write_reference_data() -> io::Result<Vec<u8>> {
    envelope(|w| {
        w.create_element("GetRibizReferenceDataResponse")
            .with_attribute(("xmlns", REGISTER_NS))
            .write_inner_content(|w| {
                w.create_element("GetRibizReferenceDataResult")
                    .write_inner_content(|w| {
                        w.create_element("ProfessionalGroups")
                            .write_inner_content(|w| {
                                for (code, description, english, title) in PROFESSIONAL_GROUPS {
                                    w.create_element("ProfessionalGroup").write_inner_content(
                                        |w| {
                                            text(w, "Code", code)?;
                                            text(w, "Description", description)?;
                                            text(w, "DescriptionEnglish", english)?;
                                            text(w, "Title", title)?;
                                            text(w, "Article3", "true")?;
                                            text(w, "Article34", "false")?;
                                            text(w, "BusinessOwner", "1")?;
                                            text(w, "RequiredHoursForReregistration", "2080")
                                        },
                                    )?;
                                }
                                Ok(())
                            })?;
                        w.create_element("TypeOfSpecialisms")
                            .write_inner_content(|w| {
                                for (code, description, title, group) in TYPES_OF_SPECIALISM {
                                    w.create_element("TypeOfSpecialism").write_inner_content(
                                        |w| {
                                            text(w, "Code", &code.to_string())?;
                                            text(w, "Description", description)?;
                                            text(w, "TitleOfSpecialist", title)?;
                                            nil(w, "EndDate")?;
                                            text(w, "ProfessionalGroupCode", group)
                                        },
                                    )?;
                                }
                                Ok(())
                            })?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })
}

fn write_fault(number: usize, message: &str) -> io::Result<Vec<u8>> {
    // A reference per request, shaped like the register's GUIDs.
    let reference = format!("5ea1f00d-0000-4000-8000-{number:012x}");
    envelope(|w| {
        w.create_element("soap:Fault").write_inner_content(|w| {
            text(w, "faultcode", "Zorro")?;
            text(
                w,
                "faultstring",
                &format!(
                    "System.Web.Services.Protocols.SoapException: {message}\n   \
                     at Vws.Cibg.Zorro.Services.Standin.PublicV4.Handle()"
                ),
            )?;
            text(w, "faultactor", "http://services.cibg.nl")?;
            w.create_element("detail").write_inner_content(|w| {
                text(w, "Title", "Exception")?;
                text(
                    w,
                    "Description",
                    &format!(
                        "If this problem persists contact sysadmin with reference: {reference}"
                    ),
                )?;
                text(w, "Message", message)
            })?;
            Ok(())
        })?;
        Ok(())
    })
}

/// Not XML at all: a NUL, invalid UTF-8, JSON, and a PNG signature.
const GARBAGE: &[u8] = b"\x00\xff\xfe{\"error\": \"not xml\"}\r\n\x89PNG\r\n\x1a\n<<<>>>&&&";

/// A well-formed SOAP answer that declares entities in a DOCTYPE (a small "billion laughs"):
/// a client must refuse it, not expand it.
const DOCTYPE_ANSWER: &[u8] = br#"<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE soap:Envelope [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><ListHcpApprox4Result xmlns="http://services.cibg.nl/ExternalUser"><ListHcpApprox><ListHcpApprox4><BirthSurname>&lol3;</BirthSurname><MailingName>&lol3;</MailingName><Initial>L.</Initial><Gender>M</Gender><ArticleRegistration><ArticleRegistrationExtApp><ArticleRegistrationNumber>19021814501</ArticleRegistrationNumber><ArticleRegistrationStartDate>1998-02-20T00:00:00</ArticleRegistrationStartDate><ArticleRegistrationEndDate>0001-01-01T00:00:00</ArticleRegistrationEndDate><ProfessionalGroupCode>01</ProfessionalGroupCode></ArticleRegistrationExtApp></ArticleRegistration><Specialism /><Mention /><JudgmentProvision /><Limitation /></ListHcpApprox4></ListHcpApprox></ListHcpApprox4Result></soap:Body></soap:Envelope>"#;

// ---------------------------------------------------------------------------------------------
// Answer bodies

/// The body of an answer: whole, dripped byte by byte, or streamed in chunks.
pub struct AnswerBody {
    kind: BodyKind,
}

enum BodyKind {
    Full(Option<Bytes>),
    Drip {
        data: Bytes,
        sent: usize,
        delay: Pin<Box<Sleep>>,
    },
    Huge {
        head: Option<Bytes>,
        chunk: Bytes,
        chunks_left: usize,
        tail: Option<Bytes>,
    },
}

impl AnswerBody {
    fn empty() -> AnswerBody {
        AnswerBody {
            kind: BodyKind::Full(None),
        }
    }

    fn full(data: impl Into<Bytes>) -> AnswerBody {
        let data = data.into();
        AnswerBody {
            kind: BodyKind::Full((!data.is_empty()).then_some(data)),
        }
    }

    /// This body, sent one byte every [`DRIP_INTERVAL`].
    fn drip(self) -> AnswerBody {
        let data = match self.kind {
            BodyKind::Full(data) => data.unwrap_or_default(),
            other => return AnswerBody { kind: other },
        };
        AnswerBody {
            kind: BodyKind::Drip {
                data,
                sent: 0,
                delay: Box::pin(tokio::time::sleep(DRIP_INTERVAL)),
            },
        }
    }

    /// [`HUGE_ANSWER_BYTES`] of persons between a valid head and tail, one ~64 KiB chunk at a
    /// time: the same chunk is sent again and again, never the whole answer at once.
    fn huge() -> AnswerBody {
        let whole = write_list_hcp_approx(&[(0, &huge_person())]).unwrap_or_default();
        let whole = String::from_utf8(whole).unwrap_or_default();
        let (head, rest) = whole.split_once("<ListHcpApprox4>").unwrap_or(("", ""));
        let (person, tail) = rest.split_once("</ListHcpApprox4>").unwrap_or(("", ""));
        let person = format!("<ListHcpApprox4>{person}</ListHcpApprox4>");
        let per_chunk = (64 * 1024 / person.len().max(1)).max(1);
        let chunk = Bytes::from(person.repeat(per_chunk));
        let chunks_left = HUGE_ANSWER_BYTES.div_ceil(chunk.len().max(1));
        AnswerBody {
            kind: BodyKind::Huge {
                head: Some(Bytes::from(head.to_owned())),
                chunk,
                chunks_left,
                tail: Some(Bytes::from(tail.to_owned())),
            },
        }
    }
}

fn huge_person() -> Person {
    Person {
        comment: None,
        date_of_birth: "1970-01-01".into(),
        birth_surname: "Groot".into(),
        prefix: Some("de".into()),
        initials: "H.U.".into(),
        gender: "M".into(),
        mailing_name: "H.U. de Groot".into(),
        registrations: vec![RegistrationRecord {
            big_number: "19999999901".into(),
            start: "2000-01-01".into(),
            end: None,
            profession: "01".into(),
            specialisms: vec![15],
        }],
        measures: Vec::new(),
    }
}

impl Body for AnswerBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let frame = match &mut self.get_mut().kind {
            BodyKind::Full(data) => data.take(),
            BodyKind::Drip { data, sent, delay } => {
                if *sent >= data.len() {
                    return Poll::Ready(None);
                }
                if delay.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                delay
                    .as_mut()
                    .reset(tokio::time::Instant::now() + DRIP_INTERVAL);
                let byte = data.slice(*sent..*sent + 1);
                *sent += 1;
                Some(byte)
            }
            BodyKind::Huge {
                head,
                chunk,
                chunks_left,
                tail,
            } => {
                if let Some(head) = head.take() {
                    Some(head)
                } else if *chunks_left > 0 {
                    *chunks_left -= 1;
                    Some(chunk.clone())
                } else {
                    tail.take()
                }
            }
        };
        Poll::Ready(frame.map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            BodyKind::Full(data) => data.is_none(),
            BodyKind::Drip { data, sent, .. } => *sent >= data.len(),
            BodyKind::Huge {
                head,
                chunks_left,
                tail,
                ..
            } => head.is_none() && *chunks_left == 0 && tail.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            BodyKind::Full(data) => {
                SizeHint::with_exact(data.as_ref().map_or(0, |d| d.len() as u64))
            }
            BodyKind::Drip { data, sent, .. } => {
                SizeHint::with_exact(data.len().saturating_sub(*sent) as u64)
            }
            // Unknown length: sent chunked, so a client learns the size only by reading.
            BodyKind::Huge { .. } => SizeHint::default(),
        }
    }
}
