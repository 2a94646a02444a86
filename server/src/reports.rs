//! Report downloads under `/api/v1/reports/` (docs/program-results.md): the tables of the
//! reports page as CSV or XLSX, with the page's filter, headers and file name in the reader's
//! language. Thin wrappers: `app::reports` holds the figures and the files' making. Every
//! download is audited.
use crate::api::{Account, Reader, Refusal};
use crate::security::locale_from_tag;
use app::audit::store::{record, Entry};
use app::audit::AuditAction;
use app::db::DbPool;
use app::errors::AppError;
use app::reports::export::{
    council_table, file_name, overview_table, themes_table, to_csv, to_xlsx, trend_table, Table,
};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    district: Option<String>,
    lang: Option<String>,
}

pub fn routes<S: Clone + Send + Sync + 'static>(pool: DbPool) -> Router<S> {
    let trend_pool = pool.clone();
    Router::new()
        .route(
            "/api/v1/reports/{file}",
            get(
                move |Path(file): Path<String>,
                      Query(query): Query<ExportQuery>,
                      who: Account,
                      reader: Reader| {
                    overview_file(pool.clone(), file, query, who, reader)
                },
            ),
        )
        .route(
            "/api/v1/reports/villages/{id}/{file}",
            get(
                move |Path((id, file)): Path<(String, String)>,
                      Query(query): Query<ExportQuery>,
                      who: Account,
                      reader: Reader| {
                    trend_file(trend_pool.clone(), id, file, query, who, reader)
                },
            ),
        )
}

/// "overview.csv" → ("overview", Csv).
fn split(file: &str) -> Option<(&str, Format)> {
    let (name, extension) = file.rsplit_once('.')?;
    let format = match extension {
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => return None,
    };
    Some((name, format))
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    Xlsx,
}

async fn overview_file(
    pool: DbPool,
    file: String,
    query: ExportQuery,
    Account(who): Account,
    reader: Reader,
) -> Result<Response, Refusal> {
    let Some((name, format)) =
        split(&file).filter(|(name, _)| matches!(*name, "overview" | "themes"))
    else {
        return Err(Refusal::new(reader, AppError::NotFound));
    };
    let locale = file_locale(&query, reader);
    let overview = app::reports::server::overview(&pool, &who, query.district.clone())
        .await
        .map_err(|error| Refusal::new(reader, error))?;
    let table = if name == "overview" {
        overview_table(&overview, locale)
    } else {
        themes_table(&overview, locale)
    };
    let detail = format!("district={}", overview.district.as_deref().unwrap_or("all"));
    deliver(
        &pool,
        &who,
        reader,
        &file,
        None,
        detail,
        &table,
        format,
        &overview.computed_at,
    )
    .await
}

async fn trend_file(
    pool: DbPool,
    id: String,
    file: String,
    query: ExportQuery,
    Account(who): Account,
    reader: Reader,
) -> Result<Response, Refusal> {
    let Some((name, format)) =
        split(&file).filter(|(name, _)| matches!(*name, "trend" | "council"))
    else {
        return Err(Refusal::new(reader, AppError::NotFound));
    };
    let locale = file_locale(&query, reader);
    let trend = app::reports::server::trend(&pool, &who, &id)
        .await
        .map_err(|error| Refusal::new(reader, error))?
        .ok_or_else(|| Refusal::new(reader, AppError::NotFound))?;
    let table = if name == "trend" {
        trend_table(&trend, locale)
    } else {
        council_table(&trend, locale)
    };
    deliver(
        &pool,
        &who,
        reader,
        &file,
        Some(&id),
        String::new(),
        &table,
        format,
        &trend.computed_at,
    )
    .await
}

/// The file's language: the page's (`lang`), else the reader's.
fn file_locale(query: &ExportQuery, reader: Reader) -> app::i18n::Locale {
    query
        .lang
        .as_deref()
        .and_then(locale_from_tag)
        .unwrap_or(reader.0)
}

/// Writes the file, audits the download, and answers with the file as an attachment named in
/// the reader's language (RFC 6266's `filename*`, with a plain fallback name).
#[allow(clippy::too_many_arguments)]
async fn deliver(
    pool: &DbPool,
    who: &app::accounts::session::SignedIn,
    reader: Reader,
    file: &str,
    village: Option<&str>,
    detail: String,
    table: &Table,
    format: Format,
    computed_at: &str,
) -> Result<Response, Refusal> {
    let today = computed_at.get(..10).unwrap_or("");
    let (bytes, content_type, extension) = match format {
        Format::Csv => (to_csv(table).ok(), "text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (
            to_xlsx(table).ok(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let Some(bytes) = bytes else {
        tracing::error!(file, "a report file could not be written");
        return Err(Refusal::new(reader, AppError::Internal));
    };
    let entry = Entry::by(who, AuditAction::Export, "report")
        .record(file)
        .village(village)
        .detail(detail);
    if let Err(error) = record(pool, entry).await {
        return Err(Refusal::database(reader, error, "report export audit"));
    }
    let name = file_name(table, today, extension);
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition =
        format!("attachment; filename=\"report-{today}.{extension}\"; filename*=UTF-8''{encoded}");
    let mut response = (StatusCode::OK, bytes).into_response();
    let response_headers = response.headers_mut();
    response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response_headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
