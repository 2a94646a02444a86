//! Persons of attention, the sensitive kind (DESIGN §2): who may see them is decided by the
//! access policy, and every read is audited — allowed or refused.
mod api;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use api::*;
pub use types::*;
pub use views::{
    sealed_persons, use_person_choices, EditPersonPage, NewPersonPage, PersonPage, PersonsPage,
};
