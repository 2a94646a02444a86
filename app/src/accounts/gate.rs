//! Who may administer accounts (server only): one check that every admin server function of
//! accounts asks first.
use super::session::SignedIn;
use super::signed_in;
use crate::access::{can, Action, RecordKind, Target};
use crate::errors::AppError;

/// The caller, if the policy lets them do `action` on accounts (other than their own).
pub(in crate::accounts) fn admin(action: Action) -> Result<SignedIn, AppError> {
    let who = signed_in()?;
    if can(
        &who.principal,
        action,
        RecordKind::Account,
        &Target::default(),
    ) {
        Ok(who)
    } else {
        Err(AppError::Forbidden.respond())
    }
}
