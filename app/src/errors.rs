//! The one error type of server functions: what went wrong in words a person can act on,
//! with the HTTP status that goes with it. The browser translates it; the server sets the
//! status (`AppError::respond`), so programs and tests see a real 4xx.
use crate::accounts::AccountFieldError;
use crate::i18n::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign in first")]
    SignInRequired,
    /// Wrong login, wrong password or a disabled account: one answer, so the form does not
    /// tell which logins exist.
    #[error("wrong login or password")]
    WrongCredentials,
    #[error("too many failed sign-ins; try again in {minutes} min")]
    TooManyAttempts { minutes: u32 },
    #[error("not allowed")]
    Forbidden,
    /// Also the answer for a record outside the caller's scope, so a guessed id tells nothing.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Field(AccountFieldError),
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("the two new passwords differ")]
    PasswordsDiffer,
    #[error("this login is taken")]
    LoginTaken,
    /// A council chair's, member's or akimat's account of one village is a council member:
    /// which one (or a new one) must be said.
    #[error("choose the council member this account is")]
    MemberRequired,
    /// Only a council chair's, member's or akimat's account of one village is a member.
    #[error("this account cannot be linked to a council member")]
    MemberNotAllowed,
    /// Not a current member of the account's village council.
    #[error("not a current member of this village's council")]
    MemberUnavailable,
    /// A member is linked to one account at most.
    #[error("this member is linked to another account")]
    MemberLinked,
    #[error("the council has a member with this name")]
    MemberNameTaken,
    #[error("the member's phone is not a Kazakh number")]
    MemberPhoneInvalid,
    /// A district's name another district has, or a village's name another village of its
    /// district has (whatever the case and spaces); carries the field (`village_name_ru`, …).
    #[error("name already taken in field {0}")]
    NameTaken(String),
    /// A form value outside what the field allows (an unknown role, an empty name…).
    #[error("invalid value in field {0}")]
    InvalidField(String),
    /// Too much at once (password checks, database connections): nothing was done, the
    /// same request may be sent again after the wait.
    #[error("the server is busy; try again in {seconds} s")]
    Busy { seconds: u32 },
    /// The account's request rate is used up for now.
    #[error("too many requests; try again in {seconds} s")]
    TooManyRequests { seconds: u32 },
    /// The session's device was revoked by an administrator; the device wipes its data.
    #[error("device revoked")]
    DeviceRevoked,
    /// The session's device has not shown lately that it was unlocked with its PIN or
    /// password: persons are not read (docs/offline-unlock.md).
    #[error("unlock the app first")]
    Locked,
    /// The device must confirm the account password (sign in again) before it reads persons:
    /// its unlock key is new to the server, or it gave too many wrong proofs.
    #[error("sign in again to read persons")]
    SignInAgain,
    #[error("server error")]
    Internal,
    /// The request never reached the server or its answer never came back (offline).
    #[error("no connection: {0}")]
    Network(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            Self::SignInRequired | Self::WrongCredentials | Self::Locked | Self::SignInAgain => 401,
            Self::Forbidden | Self::DeviceRevoked => 403,
            Self::NotFound => 404,
            Self::NameTaken(_) => 409,
            Self::LoginTaken | Self::MemberLinked | Self::MemberNameTaken => 409,
            Self::Field(_)
            | Self::WrongCurrentPassword
            | Self::PasswordsDiffer
            | Self::InvalidField(_)
            | Self::MemberRequired
            | Self::MemberNotAllowed
            | Self::MemberUnavailable
            | Self::MemberPhoneInvalid => 422,
            Self::TooManyAttempts { .. } | Self::TooManyRequests { .. } => 429,
            Self::Internal => 500,
            Self::Network(_) | Self::Busy { .. } => 503,
        }
    }

    /// The message in the person's language.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Self::SignInRequired => td_string!(locale, errors.sign_in_required).to_string(),
            Self::WrongCredentials => td_string!(locale, errors.wrong_credentials).to_string(),
            Self::TooManyAttempts { minutes } => {
                td_string!(locale, errors.too_many_attempts, minutes = *minutes).to_string()
            }
            Self::Forbidden => td_string!(locale, errors.forbidden).to_string(),
            Self::NotFound => td_string!(locale, errors.not_found).to_string(),
            Self::Field(AccountFieldError::BadLogin) => {
                td_string!(locale, errors.bad_login).to_string()
            }
            Self::Field(AccountFieldError::PasswordTooShort) => td_string!(
                locale,
                errors.password_too_short,
                min = crate::accounts::NewPassword::MIN_CHARS
            )
            .to_string(),
            Self::Field(AccountFieldError::PasswordTooLong) => td_string!(
                locale,
                errors.password_too_long,
                max = crate::accounts::NewPassword::MAX_CHARS
            )
            .to_string(),
            Self::WrongCurrentPassword => {
                td_string!(locale, errors.wrong_current_password).to_string()
            }
            Self::PasswordsDiffer => td_string!(locale, errors.passwords_differ).to_string(),
            Self::LoginTaken => td_string!(locale, errors.login_taken).to_string(),
            Self::NameTaken(field) => match field.as_str() {
                "district_name_ru" => td_string!(locale, errors.district_name_taken),
                "district_name_kk" => td_string!(locale, errors.district_name_kk_taken),
                "village_name_kk" => td_string!(locale, errors.village_name_kk_taken),
                _ => td_string!(locale, errors.village_name_taken),
            }
            .to_string(),
            Self::MemberRequired => td_string!(locale, errors.member_required).to_string(),
            Self::MemberNotAllowed => td_string!(locale, errors.member_not_allowed).to_string(),
            Self::MemberUnavailable => td_string!(locale, errors.member_unavailable).to_string(),
            Self::MemberLinked => td_string!(locale, errors.member_linked).to_string(),
            Self::MemberNameTaken => td_string!(locale, errors.member_name_taken).to_string(),
            Self::MemberPhoneInvalid => td_string!(locale, errors.member_phone_invalid).to_string(),
            Self::InvalidField(_) => td_string!(locale, errors.invalid_field).to_string(),
            Self::Busy { seconds } => {
                td_string!(locale, errors.busy, seconds = *seconds).to_string()
            }
            Self::TooManyRequests { seconds } => {
                td_string!(locale, errors.too_many_requests, seconds = *seconds).to_string()
            }
            Self::DeviceRevoked => td_string!(locale, errors.device_revoked).to_string(),
            Self::Locked => td_string!(locale, errors.locked).to_string(),
            Self::SignInAgain => td_string!(locale, errors.sign_in_again).to_string(),
            Self::Internal => td_string!(locale, errors.internal).to_string(),
            Self::Network(_) => td_string!(locale, errors.network).to_string(),
        }
    }

    /// Seconds after which the same request may succeed (the `Retry-After` header).
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Self::Busy { seconds } | Self::TooManyRequests { seconds } => Some(*seconds),
            Self::TooManyAttempts { minutes } => Some(minutes.saturating_mul(60)),
            _ => None,
        }
    }

    /// Sets the response status (and `Retry-After`) for this error and hands it back (server
    /// only; in the browser it is returned unchanged).
    pub fn respond(self) -> Self {
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(self.status()) {
                response.set_status(status);
            }
            if let Some(seconds) = self.retry_after() {
                response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
            }
        }
        self
    }
}

impl From<AccountFieldError> for AppError {
    fn from(error: AccountFieldError) -> Self {
        Self::Field(error)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    /// The cause goes to the log; the browser gets no internals. No free connection in time
    /// is a busy server, not a broken one: the caller may try again.
    fn from(error: sqlx::Error) -> Self {
        if is_busy(&error) {
            tracing::warn!(%error, "database busy: answered busy");
            return Self::Busy {
                seconds: BUSY_RETRY_SECS,
            }
            .respond();
        }
        tracing::error!(%error, "database query failed");
        Self::Internal.respond()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(reason) => Self::Network(reason),
            // Arguments that do not decode are the caller's fault: 422, not 500.
            ServerFnErrorErr::Args(field) | ServerFnErrorErr::MissingArg(field) => {
                Self::InvalidField(field).respond()
            }
            _ => Self::Internal,
        }
    }
}

#[cfg(feature = "ssr")]
mod database;
#[cfg(feature = "ssr")]
pub use database::{is_busy, is_refused_data};

/// How long a caller told "busy" waits before trying again.
pub const BUSY_RETRY_SECS: u32 = 5;

/// Shorthand for `Err(error.respond())`.
pub fn refuse<T>(error: AppError) -> Result<T, AppError> {
    Err(error.respond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_message_in_each_language_and_a_client_or_server_status() {
        let all = [
            AppError::SignInRequired,
            AppError::WrongCredentials,
            AppError::TooManyAttempts { minutes: 15 },
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Field(AccountFieldError::PasswordTooShort),
            AppError::WrongCurrentPassword,
            AppError::PasswordsDiffer,
            AppError::LoginTaken,
            AppError::NameTaken("village_name_ru".into()),
            AppError::NameTaken("district_name_kk".into()),
            AppError::MemberRequired,
            AppError::MemberNotAllowed,
            AppError::MemberUnavailable,
            AppError::MemberLinked,
            AppError::MemberNameTaken,
            AppError::MemberPhoneInvalid,
            AppError::InvalidField("role".into()),
            AppError::Busy { seconds: 5 },
            AppError::TooManyRequests { seconds: 3 },
            AppError::DeviceRevoked,
            AppError::Locked,
            AppError::SignInAgain,
            AppError::Internal,
            AppError::Network("offline".into()),
        ];
        for error in all {
            let ru = error.message(Locale::ru);
            let kk = error.message(Locale::kk);
            assert!(!ru.is_empty() && !kk.is_empty(), "{error:?}");
            assert!((400..600).contains(&error.status()), "{error:?}");
        }
        assert!(AppError::TooManyAttempts { minutes: 15 }
            .message(Locale::en)
            .contains("15"));
    }
}
