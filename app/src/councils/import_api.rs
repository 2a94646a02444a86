//! The members import's server functions: check a file, then apply it. Both read and check
//! the file on the server (the browser only sends its bytes), so what is applied is what the
//! server checked, against the council as it is at that moment.
use super::import::{ApplyOutcome, Preview};
use crate::errors::AppError;
use leptos::prelude::*;

/// Every row of the file with the member it would make or its problems; nothing is written.
#[server(endpoint = "councils/preview_import")]
pub async fn preview_import(
    village_id: String,
    file_name: String,
    data_base64: String,
) -> Result<Preview, AppError> {
    server::preview(village_id, file_name, data_base64).await
}

/// Writes every member of the file in one transaction, or none when any row has a problem
/// (then the rows come back as with `preview_import`).
#[server(endpoint = "councils/apply_import")]
pub async fn apply_import(
    village_id: String,
    file_name: String,
    data_base64: String,
) -> Result<ApplyOutcome, AppError> {
    server::apply(village_id, file_name, data_base64).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::import::{self, ApplyOutcome, FileProblem, Preview, Table, MAX_FILE_BYTES};
    use super::super::store::{insert_member, members_of};
    use crate::access::{can, Action, RecordKind, Target};
    use crate::accounts::session::SignedIn;
    use crate::db::BeginWrite;
    use crate::db::DbConnection;
    use crate::errors::{refuse, AppError};
    use crate::sync::write::village_place;
    use base64::Engine;

    /// The caller, if they may add members to this village's council: a village they do not
    /// see is "not found", one they see but may not change is "not allowed".
    async fn importer(conn: &mut DbConnection, village_id: &str) -> Result<SignedIn, AppError> {
        let who = crate::accounts::signed_in()?;
        let Some(place) = village_place(conn, village_id).await? else {
            return refuse(AppError::NotFound);
        };
        let target = Target {
            place: Some(&place),
            ..Target::default()
        };
        if !can(&who.principal, Action::Read, RecordKind::Council, &target) {
            return refuse(AppError::NotFound);
        }
        if !can(&who.principal, Action::Create, RecordKind::Council, &target) {
            return refuse(AppError::Forbidden);
        }
        Ok(who)
    }

    /// Spreadsheets read at once; more are answered "busy" (503 with Retry-After), so a burst
    /// of imports cannot take the server's two cores from sync and sign-in.
    static READERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

    /// The file's bytes, read into rows off the request threads (parsing is CPU work).
    async fn table(
        file_name: String,
        data_base64: String,
    ) -> Result<Result<Table, FileProblem>, AppError> {
        // Base64 is a third longer than the bytes it carries.
        if data_base64.len() > MAX_FILE_BYTES / 3 * 4 + 4 {
            return Ok(Err(FileProblem::TooLarge {
                max_kb: MAX_FILE_BYTES / 1024,
            }));
        }
        let base64 = base64::engine::general_purpose::STANDARD;
        let Ok(bytes) = base64.decode(data_base64.trim()) else {
            return refuse(AppError::InvalidField("data_base64".into()));
        };
        let Ok(_reading) = READERS.try_acquire() else {
            return refuse(AppError::Busy { seconds: 2 });
        };
        tokio::task::spawn_blocking(move || import::read(&file_name, &bytes))
            .await
            .map_err(|error| {
                tracing::error!(%error, "members import: reading the file failed");
                AppError::Internal.respond()
            })
    }

    pub async fn preview(
        village_id: String,
        file_name: String,
        data_base64: String,
    ) -> Result<Preview, AppError> {
        let pool = crate::db::pool()?;
        // No connection is held while the file is read: parsing takes a while, and a pooled
        // connection waiting on it is one sync and sign-in cannot have.
        {
            let mut conn = pool.acquire().await?;
            importer(&mut conn, &village_id).await?;
        }
        let table = match table(file_name, data_base64).await? {
            Ok(table) => table,
            Err(problem) => return Ok(Preview::File(problem)),
        };
        let mut conn = pool.acquire().await?;
        let existing = members_of(&mut conn, &village_id).await?;
        let today = &crate::db::now_rfc3339()[..10];
        Ok(import::check(&village_id, &table, &existing, today))
    }

    pub async fn apply(
        village_id: String,
        file_name: String,
        data_base64: String,
    ) -> Result<ApplyOutcome, AppError> {
        let pool = crate::db::pool()?;
        {
            let mut conn = pool.acquire().await?;
            importer(&mut conn, &village_id).await?;
        }
        let table = match table(file_name, data_base64).await? {
            Ok(table) => table,
            Err(problem) => return Ok(ApplyOutcome::Refused(Preview::File(problem))),
        };
        // IMMEDIATE: the names compared with the file are still the council's when the
        // members land, and the caller's rights are read again inside the transaction.
        let mut tx = pool.begin_write().await?;
        let who = importer(&mut tx, &village_id).await?;
        let existing = members_of(&mut tx, &village_id).await?;
        let now = crate::db::now_rfc3339();
        let checked = import::check(&village_id, &table, &existing, &now[..10]);
        let Preview::Rows(rows) = &checked else {
            return Ok(ApplyOutcome::Refused(checked));
        };
        if !checked.applicable() {
            return Ok(ApplyOutcome::Refused(checked));
        }
        let members: Vec<_> = rows.iter().filter_map(|row| row.member.as_ref()).collect();
        for member in &members {
            insert_member(&mut tx, &who, &crate::ids::new_id(), member, &now).await?;
        }
        tx.commit().await?;
        tracing::info!(%village_id, count = members.len(), "members imported");
        Ok(ApplyOutcome::Imported {
            count: members.len(),
        })
    }
}
