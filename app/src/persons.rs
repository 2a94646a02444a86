//! Persons of attention, the sensitive kind (DESIGN §2): who may see them is decided by the
//! access policy, and every read is audited — allowed or refused.
mod api;
mod choices;
mod form;
mod history;
mod source;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use api::*;
pub use choices::{read_persons, use_person_choices, VillagePersonOptions};
pub use form::{EditPersonPage, NewPersonPage};
pub use source::sealed_persons;
pub use types::*;
pub use views::{PersonPage, PersonsPage};

/// Whether a page's address is one of the persons pages whose HTML may carry a person's data:
/// the service worker must not keep them (issue 14), so the server marks them
/// [`PRIVATE_PAGE_HEADER`]. The empty form for a new person carries none, and is kept so that
/// it opens offline.
pub fn private_page(path: &str) -> bool {
    path == "/persons" || (path.starts_with("/persons/") && path != "/persons/new")
}

/// The response header that tells the service worker not to store a page.
pub const PRIVATE_PAGE_HEADER: &str = "x-zq-private";

#[cfg(test)]
mod tests {
    use super::private_page;

    #[test]
    fn the_persons_pages_with_a_persons_data_are_private_and_the_empty_form_is_not() {
        for path in ["/persons", "/persons/0193-a", "/persons/0193-a/edit"] {
            assert!(private_page(path), "{path}");
        }
        for path in ["/persons/new", "/personsx", "/tasks", "/", "/villages/x"] {
            assert!(!private_page(path), "{path}");
        }
    }
}
