//! The IRMA protocol as this service speaks it: session requests we sign, session results the
//! IRMA server signs (facts and sources in `../shared/reference/IRMA.md`).

pub mod keys;
pub mod request;
pub mod result;

pub use keys::{FetchPem, KeyError, SigningKey};
pub use request::{
    AttributeRequest, CredentialRequest, DisclosureRequest, ExtendedRequest, IssuanceRequest,
    NextSession, RequestorSigner, SignError,
};
pub use result::{DisclosureError, ExpiredReason, InvalidReason, ResultVerifier};

/// The attributes a verified session result disclosed, flattened over its conjunctions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disclosure {
    /// Every disclosed attribute, all with status PRESENT.
    pub attributes: Vec<DisclosedAttribute>,
}

/// One disclosed attribute: its full id (`pbdf.pbdf.idin.initials`) and raw value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisclosedAttribute {
    /// Full attribute id, `scheme.issuer.credential.attribute`.
    pub id: String,
    /// The raw value (personal data).
    pub value: String,
}

impl DisclosedAttribute {
    /// The credential type id (`pbdf.pbdf.idin`), when the id has the four-part form.
    pub fn credential(&self) -> Option<&str> {
        let (credential, attribute) = self.id.rsplit_once('.')?;
        (credential.split('.').count() == 3 && !attribute.is_empty()).then_some(credential)
    }
}
