//! The SOAP register client against a stand-in register: a minimal HTTP/1.1 server on
//! 127.0.0.1 that records each request and answers per connection as the test says (a
//! fixture, a status, silence, an endless body, or a closed connection).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use big_issuer::register::client::{DEFAULT_MAX_ANSWER_BYTES, SetupError};
use big_issuer::register::{Query, Register, RegisterError, RegisterGender, SoapRegister};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use time::macros::date;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const BUDGET: Duration = Duration::from_millis(2500);
const REGISTER_NS: &str = "http://services.cibg.nl/ExternalUser";

const SINGLE_PERSON: &[u8] = include_bytes!("fixtures/soap/single_person_one_profession.xml");
const SOAP11_FAULT: &[u8] = include_bytes!("fixtures/soap/soap11_fault.xml");
const DOCTYPE: &[u8] = include_bytes!("fixtures/soap/doctype_entity_expansion.xml");
const REFERENCE_DATA: &[u8] = include_bytes!("fixtures/soap/reference_data.xml");
const GARBAGE: &[u8] = include_bytes!("fixtures/soap/garbage_not_xml.xml");

/// What the stand-in does on one connection, after reading the request.
#[derive(Clone)]
enum Reply {
    /// Answer with this status and body (with a Content-Length).
    Answer(u16, &'static [u8]),
    /// Say nothing and keep the connection open.
    Hang,
    /// Answer 200 with this many bytes, without a length, in 64 KiB chunks.
    Stream(usize),
    /// Answer 200 declaring this Content-Length, then send that many bytes.
    Declare(usize),
    /// Close the connection without answering.
    Close,
}

/// One request as the stand-in received it.
struct Received {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct StandIn {
    url: String,
    received: mpsc::UnboundedReceiver<Received>,
    connections: Arc<AtomicUsize>,
}

impl StandIn {
    /// A stand-in whose n-th connection (from 0) is answered with `reply(n)`.
    async fn start(reply: impl Fn(usize) -> Reply + Send + Sync + 'static) -> StandIn {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let (sender, received) = mpsc::unbounded_channel();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        let reply = Arc::new(reply);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let index = counter.fetch_add(1, Ordering::SeqCst);
                let reply = reply(index);
                let sender = sender.clone();
                tokio::spawn(serve(stream, reply, sender));
            }
        });
        StandIn {
            url: format!("http://{address}/zksrv/soap/4"),
            received,
            connections,
        }
    }

    fn register(&self, budget: Duration) -> SoapRegister {
        SoapRegister::new(&self.url, budget, DEFAULT_MAX_ANSWER_BYTES).expect("client builds")
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    async fn next_request(&mut self) -> Received {
        self.received.recv().await.expect("a request was received")
    }
}

async fn serve(mut stream: TcpStream, reply: Reply, sender: mpsc::UnboundedSender<Received>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let _ = sender.send(request);
    // Write errors are expected where the client gives up early (size bound, time budget).
    match reply {
        Reply::Answer(status, body) => {
            // A redirect names a target, so following it would show as a second request.
            let location = if (300..400).contains(&status) {
                "Location: /elsewhere\r\n"
            } else {
                ""
            };
            let head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: text/xml; charset=utf-8\r\n\
                 {location}Content-Length: {}\r\n\r\n",
                reason(status),
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body).await;
            let _ = stream.flush().await;
            // Keep the connection open until the client is done with it.
            let _ = stream.read(&mut [0; 1]).await;
        }
        Reply::Hang => tokio::time::sleep(Duration::from_secs(60)).await,
        Reply::Stream(total) => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n\
                        Connection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            write_filler(&mut stream, total).await;
        }
        Reply::Declare(total) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n\
                 Content-Length: {total}\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            write_filler(&mut stream, total).await;
        }
        Reply::Close => drop(stream),
    }
}

async fn write_filler(stream: &mut TcpStream, total: usize) {
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < total {
        let size = chunk.len().min(total - sent);
        if stream.write_all(&chunk[..size]).await.is_err() {
            return;
        }
        sent += size;
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}

/// The body element of a SOAP request: its namespace, name, and its children's names and
/// texts in document order.
fn request_fields(body: &[u8]) -> (String, String, Vec<(String, String)>) {
    let text = std::str::from_utf8(body).expect("UTF-8 request");
    let mut reader = NsReader::from_str(text);
    let mut depth = 0;
    let mut root = (String::new(), String::new());
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        let (namespace, event) = reader.read_resolved_event().expect("well-formed request");
        let namespace = match namespace {
            ResolveResult::Bound(ns) => ns.into_inner().to_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(start) => {
                depth += 1;
                let name = start.local_name().into_inner().to_owned();
                match depth {
                    3 => root = (namespace, name),
                    4 => fields.push((name, String::new())),
                    _ => {}
                }
            }
            Event::Empty(start) if depth == 3 => {
                fields.push((start.local_name().into_inner().to_owned(), String::new()));
            }
            Event::Text(content) if depth == 4 => {
                if let Some(last) = fields.last_mut() {
                    last.1.push_str(&content.xml10_content());
                }
            }
            Event::GeneralRef(reference) if depth == 4 => {
                let resolved = match &*reference {
                    "apos" => "'",
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    other => panic!("unexpected entity {other}"),
                };
                if let Some(last) = fields.last_mut() {
                    last.1.push_str(resolved);
                }
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    (root.0, root.1, fields)
}

fn query() -> Query {
    Query {
        name: "d'Testpersoon & Zn".to_owned(),
        date_of_birth: date!(1970 - 03 - 09),
        gender: Some(RegisterGender::Female),
    }
}

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[tokio::test]
async fn posts_the_query_as_soap_and_reads_the_answer() {
    let mut stand_in = StandIn::start(|_| Reply::Answer(200, SINGLE_PERSON)).await;
    let practitioners = stand_in
        .register(BUDGET)
        .search(&query())
        .await
        .expect("answer");
    assert_eq!(practitioners.len(), 1);
    assert_eq!(practitioners[0].birth_surname, "Testpersoon");
    assert_eq!(
        practitioners[0].registrations[0].big_number.as_str(),
        "19123456701"
    );

    let request = stand_in.next_request().await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/zksrv/soap/4");
    assert_eq!(
        request.header("SOAPAction"),
        Some("\"http://services.cibg.nl/ExternalUser/ListHcpApprox4\"")
    );
    assert_eq!(
        request.header("Content-Type"),
        Some("text/xml; charset=utf-8")
    );
    let (namespace, root, fields) = request_fields(&request.body);
    assert_eq!(namespace, REGISTER_NS);
    assert_eq!(root, "listHcpApproxRequest");
    assert_eq!(
        fields,
        pairs(&[
            ("WebSite", "Ribiz"),
            ("Name", "d'Testpersoon & Zn"),
            ("Gender", "V"),
            ("DateOfBirth", "1970-03-09"),
        ])
    );
}

#[tokio::test]
async fn asks_reference_data_with_its_own_soap_action() {
    let mut stand_in = StandIn::start(|_| Reply::Answer(200, REFERENCE_DATA)).await;
    let data = stand_in
        .register(BUDGET)
        .reference_data()
        .await
        .expect("answer");
    assert!(
        data.specialisms
            .contains(&(99, "Proefspecialisme".to_owned()))
    );

    let request = stand_in.next_request().await;
    assert_eq!(
        request.header("SOAPAction"),
        Some("\"http://services.cibg.nl/ExternalUser/GetRibizReferenceData\"")
    );
    let (namespace, root, fields) = request_fields(&request.body);
    assert_eq!(namespace, REGISTER_NS);
    assert_eq!(root, "GetRibizReferenceData");
    assert_eq!(fields, pairs(&[("getCibgReferenceDataRequest", "")]));
}

#[tokio::test]
async fn reports_fault_when_register_answers_500_with_soap_fault() {
    let stand_in = StandIn::start(|_| Reply::Answer(500, SOAP11_FAULT)).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::Fault));
}

#[tokio::test]
async fn reports_status_when_500_carries_no_soap_fault() {
    let stand_in = StandIn::start(|_| Reply::Answer(500, GARBAGE)).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::Status(500)));
}

#[tokio::test]
async fn reports_status_when_register_answers_503_without_body() {
    let stand_in = StandIn::start(|_| Reply::Answer(503, b"")).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::Status(503)));
}

#[tokio::test]
async fn does_not_follow_redirects() {
    let stand_in = StandIn::start(|_| Reply::Answer(302, b"")).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::Status(302)));
    assert_eq!(stand_in.connections(), 1);
}

#[tokio::test]
async fn times_out_within_budget_when_register_hangs() {
    let budget = Duration::from_millis(400);
    let stand_in = StandIn::start(|_| Reply::Hang).await;
    let started = Instant::now();
    let outcome = stand_in.register(budget).search(&query()).await;
    let elapsed = started.elapsed();
    assert_eq!(outcome, Err(RegisterError::Timeout));
    assert!(elapsed >= budget, "gave up early: {elapsed:?}");
    assert!(
        elapsed < budget + Duration::from_millis(250),
        "overran the budget: {elapsed:?}"
    );
}

#[tokio::test]
async fn refuses_answer_streaming_beyond_the_size_bound() {
    let stand_in = StandIn::start(|_| Reply::Stream(2 * 1024 * 1024)).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::TooLarge));
}

#[tokio::test]
async fn refuses_answer_declaring_a_length_beyond_the_size_bound() {
    let stand_in = StandIn::start(|_| Reply::Declare(2 * 1024 * 1024)).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::TooLarge));
}

#[tokio::test]
async fn reports_connect_when_register_refuses_connections() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let register = SoapRegister::new(
        &format!("http://{address}/zksrv/soap/4"),
        BUDGET,
        DEFAULT_MAX_ANSWER_BYTES,
    )
    .expect("client builds");
    let outcome = register.search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::Connect));
}

#[tokio::test]
async fn retries_once_when_the_first_connection_closes_before_answering() {
    let stand_in = StandIn::start(|index| {
        if index == 0 {
            Reply::Close
        } else {
            Reply::Answer(200, SINGLE_PERSON)
        }
    })
    .await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome.map(|found| found.len()), Ok(1));
    assert_eq!(stand_in.connections(), 2);
}

#[tokio::test]
async fn reports_connect_after_exactly_one_retry() {
    let stand_in = StandIn::start(|_| Reply::Close).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::Connect));
    // Give a third attempt, if there were one, the time to arrive.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(stand_in.connections(), 2);
}

#[tokio::test]
async fn does_not_retry_a_timeout() {
    let stand_in = StandIn::start(|_| Reply::Hang).await;
    let outcome = stand_in
        .register(Duration::from_millis(300))
        .search(&query())
        .await;
    assert_eq!(outcome, Err(RegisterError::Timeout));
    assert_eq!(stand_in.connections(), 1);
}

#[tokio::test]
async fn refuses_an_answer_that_declares_a_doctype() {
    let stand_in = StandIn::start(|_| Reply::Answer(200, DOCTYPE)).await;
    let outcome = stand_in.register(BUDGET).search(&query()).await;
    assert_eq!(outcome, Err(RegisterError::Doctype));
}

#[test]
fn refuses_a_register_url_that_is_not_absolute_http() {
    for url in [
        "",
        "api.bigregister.nl/zksrv/soap/4",
        "ftp://example.test/soap",
        "file:///x",
    ] {
        assert!(
            matches!(
                SoapRegister::new(url, BUDGET, DEFAULT_MAX_ANSWER_BYTES),
                Err(SetupError::InvalidUrl)
            ),
            "accepted {url:?}"
        );
    }
}
