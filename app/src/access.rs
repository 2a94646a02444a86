//! Who may do what: roles, scopes and the one policy every page, server function, endpoint,
//! sync mutation and pull asks (`can`). Pure rules, shared with the browser so it can hide what
//! a person may not do; the server remains the authority.
mod policy;
mod roles;
#[cfg(feature = "ssr")]
mod sharing;

pub use policy::{can, grant, may_link_person, Action, Grant, RecordKind, Target};
pub use roles::{Place, Principal, Role, Scope};
#[cfg(feature = "ssr")]
pub use sharing::shared_with_member;

#[cfg(test)]
mod matrix_tests;
