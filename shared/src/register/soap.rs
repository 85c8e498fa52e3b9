//! The BIG register's SOAP 1.1 messages: the `ListHcpApprox4` and `GetRibizReferenceData`
//! requests we write and the answers we read, exactly as `reference/BIGRegister-v4.wsdl`
//! describes them.
//!
//! Requests are written with an XML writer, so every user value is escaped. Answers are read
//! with a namespace-aware pull parser into a small element tree (answers are bounded by the
//! client, see [`super::client`]), then walked strictly: an element name the WSDL does not
//! allow where we decide something, a missing required field, or a value that does not parse
//! makes the whole answer [`RegisterError::Unparsable`]. A change of the register's schema
//! therefore shows up as `big-unavailable`, never as a wrong decision. A DOCTYPE is refused
//! before anything else (entity expansion), and SOAP 1.1 and 1.2 faults become
//! [`RegisterError::Fault`] without keeping their text, which may echo the query.

use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;
use quick_xml::writer::Writer;
use time::{Date, Month};

use super::RegisterError;
use super::model::{
    BigNumber, Measure, Practitioner, Query, ReferenceData, RegisterGender, Registration,
    RegistrationEnd,
};

/// The register's target namespace (WSDL `tns`).
pub const REGISTER_NS: &str = "http://services.cibg.nl/ExternalUser";
/// The `SOAPAction` header of `ListHcpApprox4`, quoted as real traffic sent it (FIN cassettes).
pub const LIST_HCP_APPROX_ACTION: &str = "\"http://services.cibg.nl/ExternalUser/ListHcpApprox4\"";
/// The `SOAPAction` header of `GetRibizReferenceData`, quoted likewise.
pub const REFERENCE_DATA_ACTION: &str =
    "\"http://services.cibg.nl/ExternalUser/GetRibizReferenceData\"";

const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The deepest nesting a WSDL-shaped answer needs is 8 (Envelope, Body, Result, list, person,
/// address, field); anything far deeper is hostile and would also make dropping the tree
/// recurse without bound.
const MAX_DEPTH: usize = 32;

/// The `ListHcpApprox4` request for one query: `WebSite`, `Name`, `Gender` (only when known)
/// and `DateOfBirth`, in WSDL sequence order.
pub fn list_hcp_approx_request(query: &Query) -> String {
    let name = xml_chars(&query.name);
    let date_of_birth = iso_date(query.date_of_birth);
    envelope(|w| {
        w.create_element("listHcpApproxRequest")
            .with_attribute(("xmlns", REGISTER_NS))
            .write_inner_content(|w| {
                // "This must be set, and it's the only valid value" (IRMA BIGService.java).
                text_element(w, "WebSite", "Ribiz")?;
                text_element(w, "Name", &name)?;
                if let Some(gender) = query.gender {
                    text_element(w, "Gender", gender.code())?;
                }
                text_element(w, "DateOfBirth", &date_of_birth)
            })?;
        Ok(())
    })
}

/// The `GetRibizReferenceData` request (it has no parameters).
pub fn reference_data_request() -> String {
    envelope(|w| {
        w.create_element("GetRibizReferenceData")
            .with_attribute(("xmlns", REGISTER_NS))
            .write_inner_content(|w| {
                w.create_element("getCibgReferenceDataRequest")
                    .write_empty()?;
                Ok(())
            })?;
        Ok(())
    })
}

/// Reads a `ListHcpApprox4` answer: one [`Practitioner`] per `ListHcpApprox4` element, in
/// register order; an empty or absent list is no match.
pub fn parse_list_hcp_approx(xml: &[u8]) -> Result<Vec<Practitioner>, RegisterError> {
    let root = parse_tree(xml)?;
    let result = body_content(&root)?;
    if !result.is(REGISTER_NS, "ListHcpApprox4Result") {
        return Err(RegisterError::Unparsable);
    }
    result.only_children(&["ListHcpApprox"])?;
    let Some(list) = result.child("ListHcpApprox")? else {
        return Ok(Vec::new());
    };
    // A strict list: a renamed person element must not read as "no match".
    list.only_children(&["ListHcpApprox4"])?;
    list.children
        .iter()
        .filter(|person| !person.nil)
        .map(practitioner)
        .collect()
}

/// Reads a `GetRibizReferenceData` answer into profession and specialism names. Entries
/// without a usable code or name are skipped: the table only names codes, it decides nothing.
pub fn parse_reference_data(xml: &[u8]) -> Result<ReferenceData, RegisterError> {
    let root = parse_tree(xml)?;
    let response = body_content(&root)?;
    if !response.is(REGISTER_NS, "GetRibizReferenceDataResponse") {
        return Err(RegisterError::Unparsable);
    }
    response.only_children(&["GetRibizReferenceDataResult"])?;
    let mut data = ReferenceData::default();
    let Some(result) = response.child("GetRibizReferenceDataResult")? else {
        return Ok(data);
    };
    result.only_children(&["ProfessionalGroups", "TypeOfSpecialisms"])?;
    if let Some(groups) = result.child("ProfessionalGroups")? {
        groups.only_children(&["ProfessionalGroup"])?;
        for group in groups.children.iter().filter(|g| !g.nil) {
            let code = group.text_of("Code")?.and_then(|c| profession_code(&c));
            let title = group
                .text_of("Title")?
                .filter(|t| !t.is_empty())
                .or(group.text_of("Description")?.filter(|d| !d.is_empty()));
            if let (Some(code), Some(title)) = (code, title) {
                data.professions.push((code, title));
            }
        }
    }
    if let Some(types) = result.child("TypeOfSpecialisms")? {
        types.only_children(&["TypeOfSpecialism"])?;
        for kind in types.children.iter().filter(|t| !t.nil) {
            let code = kind.text_of("Code")?.and_then(|c| decimal_u32(&c));
            let name = kind.text_of("Description")?.filter(|d| !d.is_empty());
            if let (Some(code), Some(name)) = (code, name) {
                data.specialisms.push((code, name));
            }
        }
    }
    Ok(data)
}

// ---------------------------------------------------------------------------------------------
// Writing

fn envelope<F>(body: F) -> String
where
    F: FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>,
{
    let mut writer = Writer::new(Vec::new());
    let written: io::Result<()> = (|| {
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        writer
            .create_element("soap:Envelope")
            .with_attribute(("xmlns:soap", SOAP11_NS))
            .write_inner_content(|w| {
                w.create_element("soap:Body").write_inner_content(body)?;
                Ok(())
            })?;
        Ok(())
    })();
    // The writer only writes into a Vec, which cannot fail, and only ever receives `&str`, so
    // its output is UTF-8; neither depends on the query.
    written.expect("writing XML into a Vec cannot fail");
    String::from_utf8(writer.into_inner()).expect("the XML writer only writes UTF-8 from &str")
}

fn text_element(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// Drops characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF): escaping
/// cannot help them and the register would answer a fault. They never belong in a name.
fn xml_chars(value: &str) -> String {
    value
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

// ---------------------------------------------------------------------------------------------
// Reading: the element tree

/// One element of an answer: its expanded name, `xsi:nil`, text and child elements.
#[derive(Debug, Default)]
struct Element {
    namespace: Option<String>,
    name: String,
    nil: bool,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn is(&self, namespace: &str, name: &str) -> bool {
        self.namespace.as_deref() == Some(namespace) && self.name == name
    }

    /// Every child is a register element with one of these names.
    fn only_children(&self, allowed: &[&str]) -> Result<(), RegisterError> {
        let all_allowed = self.children.iter().all(|child| {
            child.namespace.as_deref() == Some(REGISTER_NS)
                && allowed.contains(&child.name.as_str())
        });
        if all_allowed {
            Ok(())
        } else {
            Err(RegisterError::Unparsable)
        }
    }

    /// The register child of this name; more than one where the WSDL allows one is not the
    /// WSDL's shape.
    fn child(&self, name: &str) -> Result<Option<&Element>, RegisterError> {
        let mut found = self
            .children
            .iter()
            .filter(|child| child.is(REGISTER_NS, name));
        let first = found.next();
        if found.next().is_some() {
            return Err(RegisterError::Unparsable);
        }
        Ok(first)
    }

    /// The trimmed text of a leaf child; `None` when absent or nil.
    fn text_of(&self, name: &str) -> Result<Option<String>, RegisterError> {
        match self.child(name)? {
            None => Ok(None),
            Some(child) if child.nil => Ok(None),
            Some(child) => child.leaf_text().map(|text| Some(text.to_owned())),
        }
    }

    /// The text of a required leaf child.
    fn required_text(&self, name: &str) -> Result<String, RegisterError> {
        self.text_of(name)?.ok_or(RegisterError::Unparsable)
    }

    fn leaf_text(&self) -> Result<&str, RegisterError> {
        if self.children.is_empty() {
            Ok(self.text.trim())
        } else {
            Err(RegisterError::Unparsable)
        }
    }
}

fn parse_tree(xml: &[u8]) -> Result<Element, RegisterError> {
    // The register answers UTF-8 (FIN cassettes: `text/xml; charset=utf-8`).
    let Ok(text) = std::str::from_utf8(xml) else {
        return Err(if declares_doctype(&String::from_utf8_lossy(xml)) {
            RegisterError::Doctype
        } else {
            RegisterError::Unparsable
        });
    };
    match build_tree(text) {
        // A parser error may hide a DOCTYPE it never reported; name the real reason.
        Err(RegisterError::Unparsable) if declares_doctype(text) => Err(RegisterError::Doctype),
        other => other,
    }
}

fn declares_doctype(text: &str) -> bool {
    text.to_ascii_uppercase().contains("<!DOCTYPE")
}

fn build_tree(text: &str) -> Result<Element, RegisterError> {
    let mut reader = NsReader::from_str(text);
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (resolved, event) = reader
            .read_resolved_event()
            .map_err(|_| RegisterError::Unparsable)?;
        let namespace = match resolved {
            ResolveResult::Bound(Namespace(ns)) => Some(ns.to_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(_) => return Err(RegisterError::Unparsable),
        };
        match event {
            Event::DocType(_) => return Err(RegisterError::Doctype),
            Event::Decl(decl) => {
                if let Some(encoding) = decl.encoding() {
                    let encoding = encoding.map_err(|_| RegisterError::Unparsable)?;
                    if !matches!(
                        encoding.to_ascii_lowercase().as_str(),
                        "utf-8" | "utf8" | "us-ascii"
                    ) {
                        return Err(RegisterError::Unparsable);
                    }
                }
            }
            Event::Start(start) => {
                let element = open_element(&reader, &start, namespace)?;
                if root.is_some() || open.len() >= MAX_DEPTH {
                    return Err(RegisterError::Unparsable);
                }
                open.push(element);
            }
            Event::Empty(start) => {
                let element = open_element(&reader, &start, namespace)?;
                if root.is_some() {
                    return Err(RegisterError::Unparsable);
                }
                close_element(&mut open, &mut root, element);
            }
            Event::End(_) => {
                // The reader checks that end names match their start names.
                let element = open.pop().ok_or(RegisterError::Unparsable)?;
                close_element(&mut open, &mut root, element);
            }
            Event::Text(text) => append_text(&mut open, &text.xml10_content())?,
            Event::CData(data) => append_text(&mut open, &data.xml10_content())?,
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined_entity(&reference).ok_or(RegisterError::Unparsable)?,
                    Err(_) => return Err(RegisterError::Unparsable),
                };
                append_text(&mut open, resolved.encode_utf8(&mut [0; 4]))?;
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !open.is_empty() {
        return Err(RegisterError::Unparsable);
    }
    root.ok_or(RegisterError::Unparsable)
}

fn open_element(
    reader: &NsReader<&[u8]>,
    start: &quick_xml::events::BytesStart<'_>,
    namespace: Option<String>,
) -> Result<Element, RegisterError> {
    let mut nil = false;
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|_| RegisterError::Unparsable)?;
        let (attribute_ns, local) = reader.resolver().resolve_attribute(attribute.key);
        match attribute_ns {
            ResolveResult::Bound(Namespace(XSI_NS)) if local.into_inner() == "nil" => {
                let value = attribute
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|_| RegisterError::Unparsable)?;
                nil = matches!(value.trim(), "true" | "1");
            }
            ResolveResult::Unknown(_) => return Err(RegisterError::Unparsable),
            _ => {}
        }
    }
    Ok(Element {
        namespace,
        name: start.local_name().into_inner().to_owned(),
        nil,
        ..Element::default()
    })
}

fn close_element(open: &mut [Element], root: &mut Option<Element>, element: Element) {
    match open.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn append_text(open: &mut [Element], text: &str) -> Result<(), RegisterError> {
    match open.last_mut() {
        Some(element) => element.text.push_str(text),
        // Text outside the root element: only the whitespace around it is XML.
        None if text.trim().is_empty() => {}
        None => return Err(RegisterError::Unparsable),
    }
    Ok(())
}

fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// The one element inside `Body`, or the fault it carries.
fn body_content(root: &Element) -> Result<&Element, RegisterError> {
    let envelope_ns = match root.namespace.as_deref() {
        Some(ns @ (SOAP11_NS | SOAP12_NS)) if root.name == "Envelope" => ns,
        _ => return Err(RegisterError::Unparsable),
    };
    let mut bodies = root
        .children
        .iter()
        .filter(|child| child.is(envelope_ns, "Body"));
    let (Some(body), None) = (bodies.next(), bodies.next()) else {
        return Err(RegisterError::Unparsable);
    };
    let mut contents = body.children.iter();
    let (Some(content), None) = (contents.next(), contents.next()) else {
        return Err(RegisterError::Unparsable);
    };
    if content.is(envelope_ns, "Fault") {
        return Err(fault(content, envelope_ns));
    }
    Ok(content)
}

/// A fault of the envelope's SOAP version, checked for its required parts and then dropped:
/// its text may echo the query.
fn fault(fault: &Element, envelope_ns: &str) -> RegisterError {
    let has = |namespace: Option<&str>, name: &str| {
        fault
            .children
            .iter()
            .any(|child| child.namespace.as_deref() == namespace && child.name == name)
    };
    let well_formed = if envelope_ns == SOAP11_NS {
        // SOAP 1.1 section 4.4: faultcode and faultstring are unqualified.
        has(None, "faultcode") && has(None, "faultstring")
    } else {
        has(Some(SOAP12_NS), "Code") && has(Some(SOAP12_NS), "Reason")
    };
    if well_formed {
        RegisterError::Fault
    } else {
        RegisterError::Unparsable
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: the WSDL's types

const PERSON_FIELDS: &[&str] = &[
    "BirthSurname",
    "MailingName",
    "Prefix",
    "Initial",
    "Gender",
    "WorkAddress1",
    "WorkAddress2",
    "WorkAddress3",
    "ArticleRegistration",
    "Specialism",
    "Mention",
    "JudgmentProvision",
    "Limitation",
];

fn practitioner(person: &Element) -> Result<Practitioner, RegisterError> {
    person.only_children(PERSON_FIELDS)?;
    // MailingName is never read: it may carry a partner's name (DESIGN.md section 5).
    let gender = match person.text_of("Gender")?.as_deref() {
        Some("M") => Some(RegisterGender::Male),
        Some("V") => Some(RegisterGender::Female),
        _ => None,
    };
    let mut registrations = Vec::new();
    if let Some(list) = person.child("ArticleRegistration")? {
        list.only_children(&["ArticleRegistrationExtApp"])?;
        for entry in list.children.iter().filter(|e| !e.nil) {
            let registration = registration(entry)?;
            // One BIG number is one profession; a repeat would make specialisms ambiguous.
            if registrations
                .iter()
                .any(|r: &Registration| r.big_number == registration.big_number)
            {
                return Err(RegisterError::Unparsable);
            }
            registrations.push(registration);
        }
    }
    if let Some(list) = person.child("Specialism")? {
        list.only_children(&["SpecialismExtApp1"])?;
        for entry in list.children.iter().filter(|e| !e.nil) {
            entry.only_children(&[
                "SpecialismId",
                "ArticleRegistrationNumber",
                "TypeOfSpecialismId",
            ])?;
            let number = big_number(&entry.required_text("ArticleRegistrationNumber")?)?;
            let code = decimal_u32(&entry.required_text("TypeOfSpecialismId")?)
                .ok_or(RegisterError::Unparsable)?;
            // A specialism of a registration the answer does not list cannot be issued.
            if let Some(registration) = registrations.iter_mut().find(|r| r.big_number == number) {
                registration.specialism_codes.push(code);
            }
        }
    }
    let mut measures = Vec::new();
    if let Some(list) = person.child("JudgmentProvision")? {
        list.only_children(&["JudgmentProvisionExtApp"])?;
        for entry in list.children.iter().filter(|e| !e.nil) {
            measures.push(measure(entry)?);
        }
    }
    Ok(Practitioner {
        birth_surname: person.text_of("BirthSurname")?.unwrap_or_default(),
        prefix: person.text_of("Prefix")?.filter(|p| !p.is_empty()),
        initials: person.text_of("Initial")?.unwrap_or_default(),
        gender,
        registrations,
        measures,
    })
}

fn registration(entry: &Element) -> Result<Registration, RegisterError> {
    entry.only_children(&[
        "ArticleRegistrationNumber",
        "ArticleRegistrationStartDate",
        "ArticleRegistrationEndDate",
        "ProfessionalGroupCode",
    ])?;
    let big_number = big_number(&entry.required_text("ArticleRegistrationNumber")?)?;
    let start_date = date_part(&entry.required_text("ArticleRegistrationStartDate")?)?;
    let end_date = date_part(&entry.required_text("ArticleRegistrationEndDate")?)?;
    let end = match (end_date.year(), end_date.ordinal()) {
        (1, 1) => RegistrationEnd::Open,
        (2, 1) => RegistrationEnd::StruckOff,
        _ => RegistrationEnd::On(end_date),
    };
    // Optional in the WSDL, but a registration without a profession can be neither issued
    // nor safely dropped: fail closed.
    let profession_code = entry
        .text_of("ProfessionalGroupCode")?
        .and_then(|code| profession_code(&code))
        .ok_or(RegisterError::Unparsable)?;
    Ok(Registration {
        big_number,
        start_date,
        end,
        profession_code,
        specialism_codes: Vec::new(),
    })
}

fn measure(entry: &Element) -> Result<Measure, RegisterError> {
    entry.only_children(&[
        "ArticleNumber",
        "Id",
        "StartDate",
        "PublicDescription",
        "EndDate",
        "Public",
    ])?;
    let big_number = big_number(&entry.required_text("ArticleNumber")?)?;
    let start = entry
        .text_of("StartDate")?
        .map(|s| date_part(&s))
        .transpose()?;
    // A measure's end is nillable, but the register writes "no date" as 0001-01-01 in its
    // non-nillable dates; read that sentinel (and 0002-01-01) as "no end", which keeps the
    // measure in force rather than ending it in year 1.
    let end = entry
        .text_of("EndDate")?
        .map(|s| date_part(&s))
        .transpose()?
        .filter(|date| date.year() > 2);
    Ok(Measure {
        big_number,
        start,
        end,
        description: entry.text_of("PublicDescription")?.unwrap_or_default(),
    })
}

fn big_number(raw: &str) -> Result<BigNumber, RegisterError> {
    BigNumber::from_register(raw).ok_or(RegisterError::Unparsable)
}

/// `ProfessionalGroupCode` as the two-digit string the code tables use (`"1"` -> `"01"`).
fn profession_code(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 3 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{raw:0>2}"))
}

/// An `xs:decimal` that holds a whole number (`"15"`, `"15.0"`, `"+15"`).
fn decimal_u32(raw: &str) -> Option<u32> {
    let raw = raw.trim();
    let whole = match raw.split_once('.') {
        Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole,
        Some(_) => return None,
        None => raw,
    };
    let whole = whole.strip_prefix('+').unwrap_or(whole);
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    whole.parse().ok()
}

/// The date of an `xs:dateTime` (`1998-02-06T00:00:00`, optionally with fraction and zone):
/// the register writes midnight local times, so the date is the whole meaning.
fn date_part(raw: &str) -> Result<Date, RegisterError> {
    parse_date_time(raw.trim()).ok_or(RegisterError::Unparsable)
}

fn parse_date_time(raw: &str) -> Option<Date> {
    let (date, time) = raw.split_once('T')?;
    let time = time.as_bytes();
    let clock_ok = time.len() >= 8
        && time[2] == b':'
        && time[5] == b':'
        && [0, 1, 3, 4, 6, 7].iter().all(|&i| time[i].is_ascii_digit());
    if !clock_ok {
        return None;
    }
    let bytes = date.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year: i32 = date.get(0..4)?.parse().ok()?;
    let month: u8 = date.get(5..7)?.parse().ok()?;
    let day: u8 = date.get(8..10)?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!("../../tests/fixtures/soap/", $name))
        };
    }

    fn persons(xml: &[u8]) -> Vec<Practitioner> {
        parse_list_hcp_approx(xml).expect("fixture parses")
    }

    fn only(xml: &[u8]) -> Practitioner {
        let mut all = persons(xml);
        assert_eq!(all.len(), 1, "one person expected");
        all.remove(0)
    }

    fn number(practitioner: &Practitioner, index: usize) -> &str {
        practitioner.registrations[index].big_number.as_str()
    }

    fn query(name: &str, gender: Option<RegisterGender>) -> Query {
        Query {
            name: name.to_owned(),
            date_of_birth: date!(1970 - 03 - 09),
            gender,
        }
    }

    #[test]
    fn writes_request_children_in_wsdl_order() {
        let xml = list_hcp_approx_request(&query("Testpersoon", Some(RegisterGender::Female)));
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\
             <soap:Body>\
             <listHcpApproxRequest xmlns=\"http://services.cibg.nl/ExternalUser\">\
             <WebSite>Ribiz</WebSite>\
             <Name>Testpersoon</Name>\
             <Gender>V</Gender>\
             <DateOfBirth>1970-03-09</DateOfBirth>\
             </listHcpApproxRequest>\
             </soap:Body>\
             </soap:Envelope>"
        );
    }

    #[test]
    fn omits_gender_when_unknown() {
        let xml = list_hcp_approx_request(&query("Testpersoon", None));
        assert!(!xml.contains("<Gender>"));
        assert!(xml.contains("<Name>Testpersoon</Name><DateOfBirth>1970-03-09</DateOfBirth>"));
    }

    #[test]
    fn escapes_markup_in_the_name() {
        let xml = list_hcp_approx_request(&query("d'Hondt & <Zn>\"", Some(RegisterGender::Male)));
        assert!(xml.contains("<Name>d&apos;Hondt &amp; &lt;Zn&gt;&quot;</Name>"));
    }

    #[test]
    fn drops_characters_xml_cannot_carry() {
        let xml = list_hcp_approx_request(&query("Jan\u{0}sen\u{1b}", None));
        assert!(xml.contains("<Name>Jansen</Name>"));
    }

    #[test]
    fn writes_reference_data_request() {
        let xml = reference_data_request();
        assert!(xml.contains(
            "<soap:Body><GetRibizReferenceData xmlns=\"http://services.cibg.nl/ExternalUser\">\
             <getCibgReferenceDataRequest/></GetRibizReferenceData></soap:Body>"
        ));
    }

    #[test]
    fn reads_single_person_with_one_profession() {
        let person = only(fixture!("single_person_one_profession.xml"));
        assert_eq!(person.birth_surname, "Testpersoon");
        assert_eq!(person.prefix, None);
        assert_eq!(person.initials, "J.");
        assert_eq!(person.gender, Some(RegisterGender::Male));
        assert_eq!(person.registrations.len(), 1);
        let registration = &person.registrations[0];
        assert_eq!(registration.big_number.as_str(), "19123456701");
        assert_eq!(registration.start_date, date!(1998 - 02 - 06));
        assert_eq!(registration.end, RegistrationEnd::Open);
        assert_eq!(registration.profession_code, "01");
        assert_eq!(registration.specialism_codes, vec![15]);
        assert!(person.measures.is_empty());
    }

    #[test]
    fn reads_absent_prefix_as_none() {
        let person = only(fixture!("prefix_absent.xml"));
        assert_eq!(person.prefix, None);
        assert_eq!(person.birth_surname, "Proefmans");
        assert_eq!(person.gender, Some(RegisterGender::Female));
    }

    #[test]
    fn reads_empty_prefix_element_as_none() {
        let person = only(fixture!("prefix_empty_element.xml"));
        assert_eq!(person.prefix, None);
        assert_eq!(person.birth_surname, "Proefmans");
    }

    #[test]
    fn keeps_separate_prefix() {
        let person = only(fixture!("prefix_separate.xml"));
        assert_eq!(person.prefix.as_deref(), Some("van der"));
        assert_eq!(person.birth_surname, "Berg");
    }

    #[test]
    fn keeps_prefix_glued_into_birth_surname() {
        let person = only(fixture!("prefix_glued_into_birth_surname.xml"));
        assert_eq!(person.prefix, None);
        assert_eq!(person.birth_surname, "van der Berg");
    }

    #[test]
    fn keeps_diacritics_and_apostrophe_prefix() {
        let all = persons(fixture!("diacritics.xml"));
        let names: Vec<(&str, Option<&str>)> = all
            .iter()
            .map(|p| (p.birth_surname.as_str(), p.prefix.as_deref()))
            .collect();
        // The birth surname, never the mailing name "Müller-Voorbeeld".
        assert_eq!(
            names,
            vec![("Çelik", None), ("Müller", None), ("Hondt", Some("d'"))]
        );
        assert_eq!(all[1].initials, "Ö.");
        assert_eq!(all[2].registrations[0].profession_code, "17");
    }

    #[test]
    fn keeps_initials_as_stored_without_surrounding_space() {
        let initials: Vec<String> = persons(fixture!("initials_variants.xml"))
            .into_iter()
            .map(|p| p.initials)
            .collect();
        assert_eq!(initials, vec!["J.", "A.M.", "Th.J.M.", "IJ"]);
    }

    #[test]
    fn reads_namesakes_as_separate_persons() {
        let all = persons(fixture!("namesakes_janssen_janssens.xml"));
        let names: Vec<(&str, &str)> = all
            .iter()
            .map(|p| (p.birth_surname.as_str(), p.initials.as_str()))
            .collect();
        assert_eq!(names, vec![("Janssen", "P."), ("Janssens", "R.S.")]);
    }

    #[test]
    fn reads_two_persons_with_identical_name_and_initials() {
        let all = persons(fixture!("identical_name_and_initials.xml"));
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].birth_surname, all[1].birth_surname);
        assert_eq!(all[0].initials, all[1].initials);
        assert_ne!(number(&all[0], 0), number(&all[1], 0));
    }

    #[test]
    fn reads_real_end_date_of_ended_registration() {
        let person = only(fixture!("registration_ended.xml"));
        assert_eq!(
            person.registrations[0].end,
            RegistrationEnd::On(date!(2019 - 06 - 30))
        );
        assert_eq!(person.registrations[0].profession_code, "04");
    }

    #[test]
    fn reads_0002_end_date_as_struck_off() {
        let person = only(fixture!("registration_struck_off.xml"));
        assert_eq!(person.registrations[0].end, RegistrationEnd::StruckOff);
    }

    #[test]
    fn reads_future_start_date() {
        let person = only(fixture!("registration_future_start.xml"));
        assert_eq!(person.registrations[0].start_date, date!(2099 - 09 - 01));
        assert_eq!(person.registrations[0].end, RegistrationEnd::Open);
    }

    #[test]
    fn reads_in_force_suspension_with_nil_end_date() {
        let person = only(fixture!("measure_suspension_in_force.xml"));
        assert_eq!(
            person.measures,
            vec![Measure {
                big_number: person.registrations[0].big_number.clone(),
                start: Some(date!(2024 - 03 - 01)),
                end: None,
                description: "Schorsing van de inschrijving".to_owned(),
            }]
        );
    }

    #[test]
    fn reads_ended_measure_with_its_end_date() {
        let person = only(fixture!("measure_ended.xml"));
        let measure = &person.measures[0];
        assert_eq!(measure.start, Some(date!(2015 - 03 - 31)));
        assert_eq!(measure.end, Some(date!(2016 - 03 - 30)));
        assert_eq!(measure.big_number.as_str(), "19900000201");
    }

    #[test]
    fn reads_reprimand_measure() {
        let person = only(fixture!("measure_reprimand.xml"));
        assert_eq!(person.measures.len(), 1);
        assert_eq!(person.measures[0].description, "Berisping");
        assert_eq!(person.measures[0].end, None);
    }

    #[test]
    fn reads_conditional_suspension_measure() {
        let person = only(fixture!("measure_conditional_suspension.xml"));
        assert!(
            person.measures[0]
                .description
                .starts_with("Voorwaardelijke schorsing")
        );
        assert_eq!(person.measures[0].start, Some(date!(2024 - 01 - 08)));
    }

    #[test]
    fn attaches_specialisms_to_their_own_profession() {
        let person = only(fixture!("two_professions_with_specialisms.xml"));
        let professions: Vec<(&str, &str, &[u32])> = person
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
            professions,
            vec![
                ("19000000101", "01", &[35, 15][..]),
                ("69000000130", "30", &[69][..]),
            ]
        );
    }

    #[test]
    fn pads_big_number_and_profession_code_with_leading_zeros() {
        let person = only(fixture!("big_number_leading_zero.xml"));
        assert_eq!(number(&person, 0), "09911009701");
        assert_eq!(person.registrations[0].profession_code, "01");
    }

    #[test]
    fn reads_empty_list_as_no_match() {
        assert_eq!(persons(fixture!("empty_result.xml")), vec![]);
    }

    #[test]
    fn reads_absent_list_as_no_match() {
        assert_eq!(persons(fixture!("list_absent.xml")), vec![]);
    }

    #[test]
    fn reads_any_namespace_prefix_nil_list_and_decimal_numbers() {
        let person = only(fixture!("any_namespace_prefixes.xml"));
        assert_eq!(person.prefix.as_deref(), Some("ter"));
        assert_eq!(person.registrations[0].start_date, date!(2014 - 10 - 01));
        assert!(person.registrations[0].specialism_codes.is_empty());
        assert_eq!(person.measures[0].big_number.as_str(), "29123456730");
        assert_eq!(person.measures[0].start, None);
    }

    #[test]
    fn reads_soap11_fault_as_fault() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("soap11_fault.xml")),
            Err(RegisterError::Fault)
        );
    }

    #[test]
    fn reads_soap12_fault_as_fault() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("soap12_fault.xml")),
            Err(RegisterError::Fault)
        );
    }

    #[test]
    fn refuses_garbage_as_unparsable() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("garbage_not_xml.xml")),
            Err(RegisterError::Unparsable)
        );
        assert_eq!(parse_list_hcp_approx(b""), Err(RegisterError::Unparsable));
        assert_eq!(
            parse_list_hcp_approx(b"\xff\xfe<\x00"),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn refuses_doctype_before_expanding_entities() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("doctype_entity_expansion.xml")),
            Err(RegisterError::Doctype)
        );
    }

    #[test]
    fn refuses_unknown_namespace_as_unparsable() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("wrong_shape.xml")),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn refuses_renamed_person_element_rather_than_reading_no_match() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("renamed_person_element.xml")),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn refuses_unparsable_big_number() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("unparsable_big_number.xml")),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn refuses_unparsable_date() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("unparsable_date.xml")),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn refuses_reference_data_answer_as_search_answer() {
        assert_eq!(
            parse_list_hcp_approx(fixture!("reference_data.xml")),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn refuses_hostile_nesting_without_overflowing_the_stack() {
        let depth = 100_000;
        let mut xml = "<a>".repeat(depth);
        xml.push_str(&"</a>".repeat(depth));
        assert_eq!(
            parse_list_hcp_approx(xml.as_bytes()),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn accepts_a_utf8_byte_order_mark() {
        let mut xml = "\u{FEFF}".as_bytes().to_vec();
        xml.extend_from_slice(fixture!("empty_result.xml"));
        assert_eq!(parse_list_hcp_approx(&xml), Ok(vec![]));
    }

    #[test]
    fn refuses_mismatched_end_tags() {
        let xml = b"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\
                    <soap:Body></soap:Envelope></soap:Body>";
        assert_eq!(parse_list_hcp_approx(xml), Err(RegisterError::Unparsable));
    }

    #[test]
    fn reads_reference_data_with_title_falling_back_to_description() {
        let data = parse_reference_data(fixture!("reference_data.xml")).expect("parses");
        assert_eq!(
            data.professions,
            vec![
                ("01".to_owned(), "Arts".to_owned()),
                ("77".to_owned(), "Proefberoeper".to_owned()),
                ("78".to_owned(), "Naamloze proefberoepen".to_owned()),
            ]
        );
        assert_eq!(
            data.specialisms,
            vec![
                (15, "Huisartsgeneeskunde".to_owned()),
                (99, "Proefspecialisme".to_owned()),
            ]
        );
    }

    #[test]
    fn reference_data_refuses_faults_doctype_and_other_answers() {
        assert_eq!(
            parse_reference_data(fixture!("soap11_fault.xml")),
            Err(RegisterError::Fault)
        );
        assert_eq!(
            parse_reference_data(fixture!("soap12_fault.xml")),
            Err(RegisterError::Fault)
        );
        assert_eq!(
            parse_reference_data(fixture!("doctype_entity_expansion.xml")),
            Err(RegisterError::Doctype)
        );
        assert_eq!(
            parse_reference_data(fixture!("empty_result.xml")),
            Err(RegisterError::Unparsable)
        );
    }

    #[test]
    fn reads_date_part_of_date_times() {
        assert_eq!(
            parse_date_time("2015-03-31T10:50:23"),
            Some(date!(2015 - 03 - 31))
        );
        assert_eq!(
            parse_date_time("0001-01-01T00:00:00.0000000Z"),
            Some(date!(0001 - 01 - 01))
        );
        assert_eq!(parse_date_time("2015-02-30T00:00:00"), None);
        assert_eq!(parse_date_time("2015-03-31"), None);
        assert_eq!(parse_date_time("31-03-2015T00:00:00"), None);
    }

    #[test]
    fn reads_whole_decimals_only() {
        assert_eq!(decimal_u32("15"), Some(15));
        assert_eq!(decimal_u32("15.0"), Some(15));
        assert_eq!(decimal_u32(" +15.00 "), Some(15));
        assert_eq!(decimal_u32("15.5"), None);
        assert_eq!(decimal_u32("-15"), None);
        assert_eq!(decimal_u32(""), None);
    }
}
