//! The BIG-register stand-in against the product's own SOAP code: requests written by
//! `big_issuer::register::soap`, answers read by its parser and by its real HTTP client.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use big_issuer::register::soap::{
    LIST_HCP_APPROX_ACTION, REFERENCE_DATA_ACTION, list_hcp_approx_request, parse_list_hcp_approx,
    parse_reference_data, reference_data_request,
};
use big_issuer::register::{
    Practitioner, Query, Register, RegisterError, RegisterGender, RegistrationEnd, SoapRegister,
};
use big_issuer_devtools::standin::{
    self, Behaviour, Database, HUGE_ANSWER_BYTES, Standin, spawn, spawn_counted,
};
use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use time::Date;
use time::macros::date;

const FEMALE: Option<RegisterGender> = Some(RegisterGender::Female);
const MALE: Option<RegisterGender> = Some(RegisterGender::Male);

fn query(name: &str, date_of_birth: Date, gender: Option<RegisterGender>) -> Query {
    Query {
        name: name.to_owned(),
        date_of_birth,
        gender,
    }
}

/// Sends one POST and returns the response with its body still streaming.
async fn send(
    addr: std::net::SocketAddr,
    soap_action: Option<&str>,
    body: impl Into<Bytes>,
) -> hyper::Response<Incoming> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect to stand-in");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("HTTP/1.1 handshake");
    tokio::spawn(connection);
    let mut request = Request::post("/zksrv/soap/4")
        .header(http::header::HOST, addr.to_string())
        .header(http::header::CONTENT_TYPE, "text/xml; charset=utf-8");
    if let Some(action) = soap_action {
        request = request.header("SOAPAction", action);
    }
    let request = request.body(Full::new(body.into())).expect("valid request");
    sender.send_request(request).await.expect("an answer")
}

/// Sends one POST and reads the whole answer.
async fn post(
    addr: std::net::SocketAddr,
    soap_action: Option<&str>,
    body: impl Into<Bytes>,
) -> (StatusCode, HeaderMap, Bytes) {
    let response = send(addr, soap_action, body).await;
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("whole body").to_bytes();
    (parts.status, parts.headers, body)
}

/// Searches the stand-in and parses the answer with the product's parser.
async fn search(addr: std::net::SocketAddr, query: &Query) -> Vec<Practitioner> {
    let (status, headers, body) = post(
        addr,
        Some(LIST_HCP_APPROX_ACTION),
        list_hcp_approx_request(query),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[http::header::CONTENT_TYPE],
        "text/xml; charset=utf-8"
    );
    parse_list_hcp_approx(&body).expect("the answer parses")
}

async fn honest() -> std::net::SocketAddr {
    spawn(Database::demo(), Behaviour::Honest).await
}

fn numbers(practitioners: &[Practitioner]) -> Vec<&str> {
    let mut all: Vec<&str> = practitioners
        .iter()
        .flat_map(|p| p.registrations.iter().map(|r| r.big_number.as_str()))
        .collect();
    all.sort_unstable();
    all
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
         <s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>{body}</s:Body></s:Envelope>"
    )
}

fn assert_register_fault(status: StatusCode, body: &[u8]) {
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(parse_list_hcp_approx(body), Err(RegisterError::Fault));
    let text = std::str::from_utf8(body).expect("UTF-8");
    assert!(text.contains("<faultcode>Zorro</faultcode>"), "{text}");
    assert!(text.contains("<faultactor>http://services.cibg.nl</faultactor>"));
    assert!(text.contains("<detail><Title>Exception</Title><Description>"));
    assert!(text.contains("<Message>"));
}

#[test]
fn demo_persons_load_with_eleven_digit_numbers() {
    let db = Database::demo();
    assert_eq!(db.persons().len(), 13);
    for person in db.persons() {
        for registration in &person.registrations {
            assert_eq!(registration.big_number.len(), 11);
            assert!(registration.big_number.ends_with(&registration.profession));
        }
    }
}

#[test]
fn bad_databases_are_refused_with_a_reason() {
    let wrong_number = r#"[{"date_of_birth": "1970-01-01", "birth_surname": "X", "initials": "X.",
        "gender": "M", "mailing_name": "X. X", "registrations": [{"big_number": "123",
        "start": "2000-01-01", "profession": "01"}]}]"#;
    let error = Database::from_json(wrong_number).expect_err("too short");
    assert!(error.to_string().contains("11 digits"), "{error}");
    let bad_date = wrong_number
        .replace("\"123\"", "\"12345678901\"")
        .replace("1970-01-01", "1970-13-01");
    assert!(Database::from_json(&bad_date).is_err());
    let typo = r#"[{"date_of_birth": "1970-01-01", "birth_surname": "X", "initials": "X.",
        "gender": "M", "mailing_name": "X. X", "registration": []}]"#;
    assert!(Database::from_json(typo).is_err());
    assert!(Database::from_json("[]").is_ok());
}

#[test]
fn behaviour_names_round_trip() {
    for behaviour in Behaviour::ALL {
        assert_eq!(behaviour.name().parse::<Behaviour>(), Ok(behaviour));
    }
    assert_eq!(Behaviour::default(), Behaviour::Honest);
    assert!("sometimes".parse::<Behaviour>().is_err());
}

#[test]
fn name_folding_keeps_spaces_and_drops_case_and_marks() {
    assert_eq!(standin::fold("Ç.  ÇELIK"), "c. celik");
    assert_eq!(standin::fold("A.M. den Hollander"), "a.m. den hollander");
    assert_eq!(standin::fold("d’Hôndt-Müller"), "d'hondt-muller");
}

#[tokio::test]
async fn finds_one_person_by_partial_name_date_and_gender() {
    let addr = honest().await;
    let found = search(addr, &query("Hollander", date!(1970 - 02 - 20), FEMALE)).await;
    assert_eq!(found.len(), 1);
    let person = &found[0];
    assert_eq!(person.birth_surname, "Hollander");
    assert_eq!(person.prefix.as_deref(), Some("den"));
    assert_eq!(person.initials, "A.M.");
    assert_eq!(person.gender, FEMALE);
    assert!(person.measures.is_empty());
    let [registration] = person.registrations.as_slice() else {
        panic!("one registration expected");
    };
    assert_eq!(registration.big_number.as_str(), "19021814501");
    assert_eq!(registration.start_date, date!(1998 - 02 - 20));
    assert_eq!(registration.end, RegistrationEnd::Open);
    assert_eq!(registration.profession_code, "01");
    assert_eq!(registration.specialism_codes, vec![15]);
}

#[tokio::test]
async fn the_answer_is_shaped_like_the_wsdl() {
    let addr = honest().await;
    let (_, _, body) = post(
        addr,
        Some(LIST_HCP_APPROX_ACTION),
        list_hcp_approx_request(&query("Hollander", date!(1970 - 02 - 20), FEMALE)),
    )
    .await;
    let text = std::str::from_utf8(&body).expect("UTF-8");
    let expected = "<ListHcpApprox4Result xmlns=\"http://services.cibg.nl/ExternalUser\">\
        <ListHcpApprox><ListHcpApprox4>\
        <BirthSurname>Hollander</BirthSurname><MailingName>A.M. den Hollander</MailingName>\
        <Prefix>den</Prefix><Initial>A.M.</Initial><Gender>V</Gender>\
        <ArticleRegistration><ArticleRegistrationExtApp>\
        <ArticleRegistrationNumber>19021814501</ArticleRegistrationNumber>\
        <ArticleRegistrationStartDate>1998-02-20T00:00:00</ArticleRegistrationStartDate>\
        <ArticleRegistrationEndDate>0001-01-01T00:00:00</ArticleRegistrationEndDate>\
        <ProfessionalGroupCode>01</ProfessionalGroupCode>\
        </ArticleRegistrationExtApp></ArticleRegistration>\
        <Specialism><SpecialismExtApp1><SpecialismId>1001</SpecialismId>\
        <ArticleRegistrationNumber>19021814501</ArticleRegistrationNumber>\
        <TypeOfSpecialismId>15</TypeOfSpecialismId></SpecialismExtApp1></Specialism>\
        <Mention /><JudgmentProvision /><Limitation />\
        </ListHcpApprox4></ListHcpApprox></ListHcpApprox4Result>";
    assert!(text.contains(expected), "{text}");
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"));
}

#[tokio::test]
async fn two_professions_each_with_their_specialisms() {
    let addr = honest().await;
    let found = search(addr, &query("Visser", date!(1965 - 07 - 01), MALE)).await;
    let [person] = found.as_slice() else {
        panic!("one person expected");
    };
    assert_eq!(person.prefix, None);
    let registrations: Vec<(&str, &str, &[u32])> = person
        .registrations
        .iter()
        .map(|r| {
            (
                r.big_number.as_str(),
                r.profession_code.as_str(),
                r.specialism_codes.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        registrations,
        vec![
            ("29021814501", "01", &[16, 13][..]),
            ("79021814530", "30", &[76][..]),
        ]
    );
}

#[tokio::test]
async fn glued_prefix_comes_with_an_empty_prefix_element() {
    let addr = honest().await;
    let (_, _, body) = post(
        addr,
        Some(LIST_HCP_APPROX_ACTION),
        list_hcp_approx_request(&query("Berg", date!(1980 - 06 - 15), FEMALE)),
    )
    .await;
    let text = std::str::from_utf8(&body).expect("UTF-8");
    assert!(text.contains("<BirthSurname>van der Berg</BirthSurname>"));
    assert!(text.contains("<Prefix />"));
    let found = parse_list_hcp_approx(&body).expect("parses");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].birth_surname, "van der Berg");
    assert_eq!(found[0].prefix, None);
    assert_eq!(numbers(&found), ["39021814517"]);
    // The partner name in the mailing name is searchable too, as in the real register.
    let by_partner = search(addr, &query("Jansen", date!(1980 - 06 - 15), FEMALE)).await;
    assert_eq!(numbers(&by_partner), ["39021814517"]);
}

#[tokio::test]
async fn janssen_finds_both_namesakes_and_the_partial_match() {
    let addr = honest().await;
    let found = search(addr, &query("Janssen", date!(1975 - 03 - 03), MALE)).await;
    assert_eq!(found.len(), 3);
    assert_eq!(
        numbers(&found),
        ["49021814501", "49021814601", "49021814701"]
    );
    let surnames: Vec<&str> = found.iter().map(|p| p.birth_surname.as_str()).collect();
    assert_eq!(surnames, ["Janssen", "Janssen", "Janssens"]);
}

#[tokio::test]
async fn jansen_finds_the_person_and_the_namesake_with_that_date() {
    let addr = honest().await;
    let found = search(addr, &query("Jansen", date!(1981 - 11 - 11), FEMALE)).await;
    assert_eq!(numbers(&found), ["59021814501", "59021814601"]);
}

#[tokio::test]
async fn date_of_birth_and_gender_filter() {
    let addr = honest().await;
    assert!(
        search(addr, &query("Hollander", date!(1970 - 02 - 21), FEMALE))
            .await
            .is_empty()
    );
    assert!(
        search(addr, &query("Hollander", date!(1970 - 02 - 20), MALE))
            .await
            .is_empty()
    );
    let without_gender = search(addr, &query("Hollander", date!(1970 - 02 - 20), None)).await;
    assert_eq!(numbers(&without_gender), ["19021814501"]);
    assert!(
        search(addr, &query("Pietersen", date!(1970 - 02 - 20), None))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn no_match_is_an_empty_list() {
    let addr = honest().await;
    let (status, _, body) = post(
        addr,
        Some(LIST_HCP_APPROX_ACTION),
        list_hcp_approx_request(&query("Onbekend", date!(1990 - 01 - 01), None)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = std::str::from_utf8(&body).expect("UTF-8");
    assert!(
        text.contains("<ListHcpApprox4Result xmlns=\"http://services.cibg.nl/ExternalUser\"><ListHcpApprox /></ListHcpApprox4Result>"),
        "{text}"
    );
    assert_eq!(parse_list_hcp_approx(&body), Ok(Vec::new()));
}

#[tokio::test]
async fn names_match_without_case_or_diacritics_but_with_spaces() {
    let addr = honest().await;
    let born = date!(1985 - 04 - 04);
    for name in ["Çelik", "celik", "ÇELIK", "elik", "Ç. Çel"] {
        let found = search(addr, &query(name, born, FEMALE)).await;
        assert_eq!(numbers(&found), ["19021814630"], "{name}");
        assert_eq!(found[0].birth_surname, "Çelik");
        assert_eq!(found[0].initials, "Ç.");
    }
    let hollander = date!(1970 - 02 - 20);
    assert_eq!(
        search(addr, &query("DEN HOLLANDER", hollander, FEMALE))
            .await
            .len(),
        1
    );
    assert!(
        search(addr, &query("denHollander", hollander, FEMALE))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn ended_struck_off_restricted_and_future_registrations() {
    let addr = honest().await;
    let ended = search(addr, &query("Bakker", date!(1950 - 01 - 01), MALE)).await;
    assert_eq!(
        ended[0].registrations[0].end,
        RegistrationEnd::On(date!(2016 - 01 - 01))
    );

    let struck = search(addr, &query("Boer", date!(1960 - 05 - 05), FEMALE)).await;
    assert_eq!(struck[0].registrations[0].end, RegistrationEnd::StruckOff);
    assert_eq!(struck[0].prefix.as_deref(), Some("de"));
    assert_eq!(struck[0].birth_surname, "Boer");

    let future = search(addr, &query("Smit", date!(1999 - 09 - 09), FEMALE)).await;
    assert_eq!(future[0].registrations[0].start_date, date!(2099 - 01 - 01));
    assert_eq!(future[0].registrations[0].profession_code, "30");

    let (_, _, body) = post(
        addr,
        Some(LIST_HCP_APPROX_ACTION),
        list_hcp_approx_request(&query("Mulder", date!(1972 - 12 - 12), MALE)),
    )
    .await;
    let text = std::str::from_utf8(&body).expect("UTF-8");
    assert!(text.contains("<EndDate xsi:nil=\"true\" />"), "{text}");
    assert!(text.contains("<Public>true</Public>"));
    let restricted = parse_list_hcp_approx(&body).expect("parses");
    let [measure] = restricted[0].measures.as_slice() else {
        panic!("one measure expected");
    };
    assert_eq!(measure.big_number.as_str(), "89021814501");
    assert_eq!(measure.start, Some(date!(2024 - 01 - 01)));
    assert_eq!(measure.end, None);
    assert_eq!(measure.description, "Schorsing van de inschrijving");
}

#[tokio::test]
async fn ignoring_the_date_of_birth_returns_other_birth_dates() {
    let addr = spawn(Database::demo(), Behaviour::IgnoreDateOfBirth).await;
    let found = search(addr, &query("Jansen", date!(1981 - 11 - 11), FEMALE)).await;
    // E. van der Berg-Jansen was born in 1980.
    assert_eq!(
        numbers(&found),
        ["39021814517", "59021814501", "59021814601"]
    );
    let probe = search(addr, &query("Hollander", date!(1969 - 03 - 06), FEMALE)).await;
    assert_eq!(numbers(&probe), ["19021814501"]);
}

#[tokio::test]
async fn soap_action_may_be_quoted_or_not() {
    let addr = honest().await;
    let request = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));
    for action in [
        "\"http://services.cibg.nl/ExternalUser/ListHcpApprox4\"",
        "http://services.cibg.nl/ExternalUser/ListHcpApprox4",
    ] {
        let (status, _, body) = post(addr, Some(action), request.clone()).await;
        assert_eq!(status, StatusCode::OK, "{action}");
        assert_eq!(parse_list_hcp_approx(&body).expect("parses").len(), 1);
    }
}

#[tokio::test]
async fn reference_data_names_professions_and_specialisms() {
    let addr = honest().await;
    let (status, _, body) = post(addr, Some(REFERENCE_DATA_ACTION), reference_data_request()).await;
    assert_eq!(status, StatusCode::OK);
    let data = parse_reference_data(&body).expect("parses");
    assert!(data.professions.contains(&("01".into(), "Arts".into())));
    assert!(
        data.professions
            .contains(&("30".into(), "Verpleegkundige".into()))
    );
    assert!(
        data.specialisms
            .contains(&(15, "Huisartsgeneeskunde".into()))
    );
}

#[tokio::test]
async fn bad_requests_get_the_registers_fault() {
    let addr = honest().await;
    let good = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));

    let (status, _, body) = post(addr, Some("\"urn:unknown\""), good.clone()).await;
    assert_register_fault(status, &body);
    let (status, _, body) = post(addr, None, good.clone()).await;
    assert_register_fault(status, &body);

    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), "<soap:Envelope><oops").await;
    assert_register_fault(status, &body);

    let without_website = good.replace("<WebSite>Ribiz</WebSite>", "");
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), without_website).await;
    assert_register_fault(status, &body);
    assert!(
        std::str::from_utf8(&body)
            .expect("UTF-8")
            .contains("WebSite is required")
    );

    let wrong_date = good.replace("1965-07-01", "01-07-1965");
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), wrong_date).await;
    assert_register_fault(status, &body);

    let with_doctype = good.replace(
        "<soap:Envelope",
        "<!DOCTYPE x [<!ENTITY e \"Visser\">]><soap:Envelope",
    );
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), with_doctype).await;
    assert_register_fault(status, &body);

    // The body element must be the SOAPAction's, in the register's namespace.
    let (status, _, body) =
        post(addr, Some(LIST_HCP_APPROX_ACTION), reference_data_request()).await;
    assert_register_fault(status, &body);
    let unqualified =
        envelope("<listHcpApproxRequest><WebSite>Ribiz</WebSite></listHcpApproxRequest>");
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), unqualified).await;
    assert_register_fault(status, &body);
}

#[tokio::test]
async fn prefixes_of_the_request_do_not_matter_but_namespaces_do() {
    let addr = honest().await;
    let request = envelope(
        "<c:listHcpApproxRequest xmlns:c=\"http://services.cibg.nl/ExternalUser\">\
         <c:WebSite>Ribiz</c:WebSite><c:Name>Vi&#115;ser</c:Name>\
         <c:DateOfBirth>1965-07-01</c:DateOfBirth></c:listHcpApproxRequest>",
    );
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        numbers(&parse_list_hcp_approx(&body).expect("parses")),
        ["29021814501", "79021814530"]
    );
}

#[tokio::test]
async fn the_fault_behaviour_answers_500_with_a_soap_fault() {
    let addr = spawn(Database::demo(), Behaviour::Fault).await;
    let request = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));
    let (status, headers, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), request).await;
    assert_eq!(
        headers[http::header::CONTENT_TYPE],
        "text/xml; charset=utf-8"
    );
    assert_register_fault(status, &body);
}

#[tokio::test]
async fn status_500_empty_garbage_and_doctype_behaviours() {
    let request = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));

    let addr = spawn(Database::demo(), Behaviour::Status500Empty).await;
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), request.clone()).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.is_empty());

    let addr = spawn(Database::demo(), Behaviour::Garbage).await;
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), request.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(parse_list_hcp_approx(&body), Err(RegisterError::Unparsable));

    let addr = spawn(Database::demo(), Behaviour::Doctype).await;
    let (status, _, body) = post(addr, Some(LIST_HCP_APPROX_ACTION), request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        std::str::from_utf8(&body)
            .expect("UTF-8")
            .contains("<!ENTITY")
    );
    assert_eq!(parse_list_hcp_approx(&body), Err(RegisterError::Doctype));
}

#[tokio::test]
async fn huge_streams_ten_mebibytes_in_chunks() {
    let addr = spawn(Database::demo(), Behaviour::Huge).await;
    let request = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));
    let response = send(addr, Some(LIST_HCP_APPROX_ACTION), request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .is_none()
    );
    let mut body = response.into_body();
    let (mut total, mut frames, mut largest) = (0usize, 0usize, 0usize);
    let mut start = Vec::new();
    let mut end = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.expect("frame");
        if let Some(data) = frame.data_ref() {
            if start.len() < 64 {
                start.extend_from_slice(data);
            }
            end = data.to_vec();
            total += data.len();
            largest = largest.max(data.len());
            frames += 1;
        }
    }
    assert!(total >= HUGE_ANSWER_BYTES, "{total}");
    assert!(
        frames > 100 && largest < 1024 * 1024,
        "{frames} frames, largest {largest}"
    );
    assert!(start.starts_with(b"<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope"));
    assert!(end.ends_with(b"</soap:Envelope>"));
}

#[tokio::test]
async fn the_products_client_bounds_huge_and_hanging_registers() {
    let huge = spawn_counted(Database::demo(), Behaviour::Huge).await;
    let client =
        SoapRegister::new(&huge.url(), Duration::from_secs(10), 1024 * 1024).expect("client");
    let query = query("Visser", date!(1965 - 07 - 01), MALE);
    assert_eq!(client.search(&query).await, Err(RegisterError::TooLarge));

    let hang = spawn_counted(Database::demo(), Behaviour::Hang).await;
    let client =
        SoapRegister::new(&hang.url(), Duration::from_millis(300), 1024 * 1024).expect("client");
    let started = Instant::now();
    assert_eq!(client.search(&query).await, Err(RegisterError::Timeout));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(hang.request_count() >= 1);

    let honest = spawn_counted(Database::demo(), Behaviour::Honest).await;
    let client =
        SoapRegister::new(&honest.url(), Duration::from_secs(5), 1024 * 1024).expect("client");
    let found = client.search(&query).await.expect("found");
    assert_eq!(numbers(&found), ["29021814501", "79021814530"]);
    let data = client.reference_data().await.expect("reference data");
    assert!(!data.specialisms.is_empty());
}

#[tokio::test]
async fn hang_accepts_and_never_answers() {
    let addr = spawn(Database::demo(), Behaviour::Hang).await;
    let request = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));
    let waited = tokio::time::timeout(
        Duration::from_millis(500),
        send(addr, Some(LIST_HCP_APPROX_ACTION), request),
    )
    .await;
    assert!(waited.is_err(), "the stand-in answered");
}

#[tokio::test]
async fn slow_drip_sends_a_valid_answer_one_byte_at_a_time() {
    let addr = spawn(Database::demo(), Behaviour::SlowDrip).await;
    let request = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));
    let response = send(addr, Some(LIST_HCP_APPROX_ACTION), request.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let length: usize = response.headers()[http::header::CONTENT_LENGTH]
        .to_str()
        .expect("ASCII")
        .parse()
        .expect("a number");
    // The same length as the honest answer: a valid body, only slow.
    let honest_addr = honest().await;
    let (_, _, honest_body) = post(honest_addr, Some(LIST_HCP_APPROX_ACTION), request).await;
    assert_eq!(length, honest_body.len());

    let started = Instant::now();
    let mut body = response.into_body();
    let mut received = Vec::new();
    while received.len() < 3 {
        let frame = body.frame().await.expect("more body").expect("frame");
        let data = frame.into_data().expect("data");
        assert_eq!(data.len(), 1, "one byte per frame");
        received.extend_from_slice(&data);
    }
    let elapsed = started.elapsed();
    assert_eq!(received, honest_body[..3]);
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn every_request_is_counted() {
    let standin: Standin = spawn_counted(Database::demo(), Behaviour::Honest).await;
    assert_eq!(standin.request_count(), 0);
    let request = list_hcp_approx_request(&query("Visser", date!(1965 - 07 - 01), MALE));
    post(standin.addr, Some(LIST_HCP_APPROX_ACTION), request.clone()).await;
    post(standin.addr, Some("urn:unknown"), request).await;
    assert_eq!(standin.request_count(), 2);

    let faulty = spawn_counted(Database::demo(), Behaviour::Status500Empty).await;
    post(faulty.addr, None, "").await;
    assert_eq!(faulty.request_count(), 1);
}

/// Kills the child process when the test ends, passed or failed.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_announces_its_port_and_serves_the_demo_persons() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_big-register-standin"))
            .args(["--port", "0", "--behaviour", "honest"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the stand-in"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("reader thread")
    .expect("one line");
    let addr = line
        .strip_prefix("listening on ")
        .and_then(|rest| rest.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    let addr: std::net::SocketAddr = addr.parse().expect("an address");
    assert_ne!(addr.port(), 0);
    let found = search(addr, &query("Mulder", date!(1972 - 12 - 12), MALE)).await;
    assert_eq!(numbers(&found), ["89021814501"]);
}

#[test]
fn the_binary_refuses_bad_arguments_in_one_line() {
    for args in [
        &["--behaviour", "sometimes"][..],
        &["--port", "70000"],
        &["--port"],
        &["--persons", "/nonexistent/persons.json"],
        &["--colour", "blue"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_big-register-standin"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run the stand-in");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("big-register-standin: "), "{stderr}");
    }
}
