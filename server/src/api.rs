//! What every JSON route shares (sync, map, reports): the signed-in account and the reader's
//! language as extractors, and one refusal answered as JSON with a translated message, so a
//! handler reads as its work and a few `?`.
use crate::security::preferred_locale;
use app::accounts::session::SignedIn;
use app::errors::AppError;
use app::i18n::Locale;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::convert::Infallible;

/// The language the reader reads (the language cookie, else `Accept-Language`).
#[derive(Clone, Copy)]
pub struct Reader(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for Reader {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(preferred_locale(&parts.headers)))
    }
}

/// The account the session layer found for this request; without one the request is refused
/// with "sign in" (401) before the handler runs.
pub struct Account(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for Account {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<SignedIn>() {
            Some(who) => Ok(Self(who.clone())),
            None => Err(Refusal::new(
                Reader(preferred_locale(&parts.headers)),
                AppError::SignInRequired,
            )),
        }
    }
}

/// A request refused: the error's status, its code and its message in the reader's language,
/// and when to come back where the error says so (`Retry-After`).
#[derive(Debug)]
pub struct Refusal {
    error: AppError,
    locale: Locale,
    /// Another status than the error's own (a tile server that failed is a bad gateway).
    status: Option<StatusCode>,
}

impl Refusal {
    pub fn new(reader: Reader, error: AppError) -> Self {
        Self {
            error,
            locale: reader.0,
            status: None,
        }
    }

    /// A database failure: a busy database (no free connection in time, the write lock not
    /// free) is "busy, try again" (503), anything else a server error (logged, no internals in
    /// the answer).
    pub fn database(reader: Reader, error: sqlx::Error, what: &str) -> Self {
        if app::errors::is_busy(&error) {
            tracing::warn!(%error, what, "database busy: answered busy");
            let seconds = app::errors::BUSY_RETRY_SECS;
            return Self::new(reader, AppError::Busy { seconds });
        }
        tracing::error!(%error, what, "database failure");
        Self::new(reader, AppError::Internal)
    }

    pub fn with_status(self, status: StatusCode) -> Self {
        Self {
            status: Some(status),
            ..self
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = self.status.unwrap_or_else(|| {
            StatusCode::from_u16(self.error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        });
        let body = serde_json::json!({
            "error": self.error.to_string(),
            "message": self.error.message(self.locale),
        });
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = self.error.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// A refusal where only the request's headers are at hand (the session layer).
pub fn refuse(headers: &HeaderMap, error: AppError) -> Response {
    Refusal::new(Reader(preferred_locale(headers)), error).into_response()
}

/// [`Refusal::database`] where only the request's headers are at hand.
pub fn database_failure(headers: &HeaderMap, error: sqlx::Error, what: &str) -> Response {
    Refusal::database(Reader(preferred_locale(headers)), error, what).into_response()
}

/// A JSON body read up to `limit` bytes; a body too long or not of type `T` is refused as an
/// invalid `field`.
pub async fn json_body<T: serde::de::DeserializeOwned>(
    reader: Reader,
    body: axum::body::Body,
    limit: usize,
    field: &str,
) -> Result<T, Refusal> {
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Refusal::new(reader, AppError::InvalidField("body".into())))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| Refusal::new(reader, AppError::InvalidField(field.into())))
}
