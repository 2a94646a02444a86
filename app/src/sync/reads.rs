//! Reads of persons made on the device, for the audit trail (issue 14, item 6).
//!
//! Opening a person's page or history from the encrypted cache happens with no server to
//! audit it, so the device queues each read (which person, what, when; never a name) and
//! hands the queue to `/api/v1/sync/reads` at the next sync, where each becomes an audit
//! event marked "read on device".
#[cfg(feature = "ssr")]
use crate::db::BeginWrite;
use serde::{Deserialize, Serialize};

/// The most reads one request may carry; a longer queue goes in several.
pub const MAX_READS: usize = 200;

/// What was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadKind {
    /// The persons list (`record_id` empty).
    List,
    /// A person's page.
    Person,
    /// A person's history.
    History,
}

impl ReadKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Person => "person",
            Self::History => "history",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceRead {
    pub kind: ReadKind,
    /// The person's id; empty for a list.
    #[serde(default)]
    pub record_id: String,
    /// When, by the device's clock (RFC 3339).
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadsRequest {
    pub device_id: String,
    pub reads: Vec<DeviceRead>,
}

/// `meta` keys of queued reads start with this.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const QUEUE_PREFIX: &str = "read:";

/// The same read again within this many ms in one tab is not queued again: a page re-reads
/// whenever sync changes the local copy, which is not a new look at the person.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const SAME_READ_MS: f64 = 10.0 * 60.0 * 1000.0;

#[cfg(feature = "hydrate")]
thread_local! {
    static LAST_NOTED: std::cell::RefCell<std::collections::HashMap<(ReadKind, String), f64>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Queues a read made on this device (browser only; does nothing on the server).
pub async fn note(kind: ReadKind, record_id: &str) {
    #[cfg(feature = "hydrate")]
    {
        let now = js_sys::Date::now();
        let repeated = LAST_NOTED.with(|noted| {
            let mut noted = noted.borrow_mut();
            let key = (kind, record_id.to_owned());
            let repeated = noted.get(&key).is_some_and(|at| now - at < SAME_READ_MS);
            if !repeated {
                noted.insert(key, now);
            }
            repeated
        });
        if repeated {
            return;
        }
        let read = DeviceRead {
            kind,
            record_id: record_id.to_owned(),
            at: js_sys::Date::new_0().to_iso_string().into(),
        };
        let key = format!("{QUEUE_PREFIX}{}", crate::ids::new_id());
        let _ = super::local::set_meta(&key, &read).await;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (kind, record_id);
}

/// Reads waiting to be reported (counted in the sign-out warning: a sign-out wipes them).
#[cfg(feature = "hydrate")]
pub async fn queued() -> usize {
    super::local::meta_with_prefix::<DeviceRead>(QUEUE_PREFIX)
        .await
        .map(|queued| queued.len())
        .unwrap_or(0)
}

/// Sends the queued reads, oldest first; each batch leaves the queue once the server took it.
#[cfg(feature = "hydrate")]
pub async fn send() -> Result<(), super::state::SyncFailure> {
    use super::state::SyncFailure;
    loop {
        let mut queued = super::local::meta_with_prefix::<DeviceRead>(QUEUE_PREFIX)
            .await
            .map_err(|e| SyncFailure::Storage(e.to_string()))?;
        if queued.is_empty() {
            return Ok(());
        }
        // Keys are UUIDv7: in key order is in the order they were made.
        queued.truncate(MAX_READS);
        let device_id = super::local::ensure_device_id()
            .await
            .map_err(|e| SyncFailure::Storage(e.to_string()))?;
        let (keys, reads): (Vec<String>, Vec<DeviceRead>) = queued.into_iter().unzip();
        let request = ReadsRequest { device_id, reads };
        let body = serde_json::to_string(&request).unwrap_or_default();
        let (status, _) = super::transport::fetch("POST", "/api/v1/sync/reads", Some(body)).await?;
        match status {
            200 => {}
            401 => return Err(SyncFailure::SignInNeeded),
            403 => return Err(SyncFailure::DeviceRefused),
            other => return Err(SyncFailure::Server(other)),
        }
        super::local::delete_meta(&keys)
            .await
            .map_err(|e| SyncFailure::Storage(e.to_string()))?;
    }
}

/// `2026-11-30T08:15:00Z` or with milliseconds, in UTC, as the browser's `toISOString` writes
/// it: a device's clock time, taken as text but only in this one shape.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
fn is_utc_time(text: &str) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        text.get(range)
            .is_some_and(|part| part.bytes().all(|b| b.is_ascii_digit()))
    };
    let at = |i: usize, c: u8| text.as_bytes().get(i) == Some(&c);
    let base = digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19);
    base && (text.len() == 20 && at(19, b'Z')
        || text.len() == 24 && at(19, b'.') && digits(20..23) && at(23, b'Z'))
}

/// Records the reads a device reports as audit events (server only). The device must be the
/// caller's (as for a push); each read is checked for shape, and the person's village is
/// looked up so the event shows in the audit view of whoever oversees that village. A batch
/// sent again after a lost answer is recorded again: the events say "at" the device's time,
/// so a doubled read is visible as such.
#[cfg(feature = "ssr")]
pub async fn record(
    pool: &crate::db::DbPool,
    who: &crate::accounts::session::SignedIn,
    request: &ReadsRequest,
    now: &str,
) -> Result<usize, super::server::PushError> {
    use super::server::PushError;
    use crate::audit::store::{self as audit, Entry};
    use crate::audit::AuditAction;
    if request.reads.len() > MAX_READS {
        return Err(PushError::Malformed("reads"));
    }
    let well_formed = |read: &DeviceRead| {
        (read.kind == ReadKind::List) == read.record_id.is_empty()
            && (read.record_id.is_empty() || super::server::valid_id(&read.record_id))
            && is_utc_time(&read.at)
    };
    if !super::server::valid_id(&request.device_id) || !request.reads.iter().all(well_formed) {
        return Err(PushError::Malformed("reads"));
    }
    let mut tx = pool.begin_write().await?;
    super::server::claim_device(&mut tx, who, &request.device_id, now).await?;
    for read in &request.reads {
        let mut entry = Entry::by(who, AuditAction::ReadOnDevice, "person").detail(format!(
            "{} at {}",
            read.kind.as_str(),
            read.at
        ));
        let village: Option<String>;
        if !read.record_id.is_empty() {
            // Only a person this account was handed can have been read on its device: a read
            // of anyone else is recorded as refused (a forged report shows as what it is).
            let (found, handed): (Option<String>, bool) = sqlx::query_as(
                "SELECT (SELECT village_id FROM persons WHERE id = $1), \
                 EXISTS (SELECT 1 FROM person_handouts WHERE account_id = $2 AND person_id = $1)",
            )
            .bind(&read.record_id)
            .bind(&who.principal.account_id)
            .fetch_one(&mut *tx)
            .await?;
            village = found;
            entry = entry.record(&read.record_id);
            if !handed {
                entry = entry.denied();
            }
        } else {
            village = None;
        }
        audit::record(&mut *tx, entry.village(village.as_deref())).await?;
    }
    tx.commit().await?;
    Ok(request.reads.len())
}

#[cfg(test)]
mod tests {
    use super::is_utc_time;

    #[test]
    fn a_device_time_is_utc_in_the_browsers_iso_shape() {
        assert!(is_utc_time("2026-11-30T08:15:00Z"));
        assert!(is_utc_time("2026-11-30T08:15:00.123Z"));
        for bad in [
            "",
            "soon",
            "2026-11-30",
            "2026-11-30T08:15:00",
            "2026-11-30T08:15:00+05:00",
            "2026-11-30T08:15:00.12Z",
            "2026-11-30 08:15:00Z",
            "２026-11-30T08:15:00Z",
        ] {
            assert!(!is_utc_time(bad), "{bad}");
        }
    }
}
