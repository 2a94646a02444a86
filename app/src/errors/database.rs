//! What a database error means for the caller (server only): busy, so send again later; the
//! values refused, so the request is at fault; or a failure of the server. SQLite and
//! PostgreSQL name their errors apart (a number, a five-character SQLSTATE).

/// The database could not take the work now: no connection free in time, SQLite's write lock
/// not free within its busy timeout (a flood of writers), or on PostgreSQL a deadlock, a lock
/// or statement timeout, a connection lost or refused. The request did nothing and may be
/// sent again.
pub fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        // A connection to PostgreSQL that broke (the database restarting); on SQLite an I/O
        // error is the disk's, and sending again does not help.
        sqlx::Error::Io(_) => ON_POSTGRES,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| busy_code(&code)),
        _ => false,
    }
}

/// The database refused the values themselves: a constraint the checks missed, or text or a
/// number it cannot store. The same request fails again, so it is the request's fault and is
/// refused, never answered "busy" (which would have a device send it for ever).
pub fn is_refused_data(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.kind() != sqlx::error::ErrorKind::Other
                || db.code().is_some_and(|code| refused_data_code(&code))
        }
        _ => false,
    }
}

/// Which backend this build's store speaks to (DESIGN §3.4): the two name their errors apart.
const ON_POSTGRES: bool = cfg!(feature = "postgres");

fn busy_code(code: &str) -> bool {
    if ON_POSTGRES {
        postgres_busy(code)
    } else {
        sqlite_busy(code)
    }
}

fn refused_data_code(code: &str) -> bool {
    if ON_POSTGRES {
        postgres_refused_data(code)
    } else {
        sqlite_refused_data(code)
    }
}

fn sqlite_busy(code: &str) -> bool {
    sqlite_code(code).is_some_and(|code| matches!(code, SQLITE_BUSY | SQLITE_LOCKED))
}

fn sqlite_refused_data(code: &str) -> bool {
    sqlite_code(code)
        .is_some_and(|code| matches!(code, SQLITE_TOOBIG | SQLITE_CONSTRAINT | SQLITE_MISMATCH))
}

/// SQLite's primary result code: sqlx gives the extended code as a number, whose low byte it is.
fn sqlite_code(code: &str) -> Option<u32> {
    code.parse::<u32>().ok().map(|code| code & 0xff)
}

const SQLITE_BUSY: u32 = 5;
const SQLITE_LOCKED: u32 = 6;
const SQLITE_TOOBIG: u32 = 18;
/// Any constraint, a trigger's `RAISE(ABORT, …)` included.
const SQLITE_CONSTRAINT: u32 = 19;
const SQLITE_MISMATCH: u32 = 20;

/// PostgreSQL's SQLSTATEs of work that may succeed when sent again: class 08 (connection),
/// 40 (serialization failure, deadlock), 53 (insufficient resources: too many connections),
/// 55P03 (lock not available), 57014 (a statement timeout), 57P01–57P03 (shutting down,
/// starting). A SQLSTATE is five characters, not a number: read as SQLite's code, 22021 (text
/// PostgreSQL cannot store) had the low byte of SQLITE_BUSY.
fn postgres_busy(code: &str) -> bool {
    matches!(code.get(..2), Some("08" | "40" | "53"))
        || matches!(code, "55P03" | "57014" | "57P01" | "57P02" | "57P03")
}

/// SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
fn postgres_refused_data(code: &str) -> bool {
    matches!(code.get(..2), Some("22" | "23"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_codes_with_or_without_their_extended_part() {
        assert!(sqlite_busy("5") && sqlite_busy("517") && sqlite_busy("6"));
        // SQLITE_CONSTRAINT_TRIGGER (a trigger's RAISE) and SQLITE_CONSTRAINT_CHECK.
        assert!(sqlite_refused_data("1811") && sqlite_refused_data("275"));
        assert!(sqlite_refused_data("18") && sqlite_refused_data("20"));
        assert!(!sqlite_busy("1811") && !sqlite_refused_data("5") && !sqlite_busy("10"));
        assert!(!sqlite_busy("40P01") && !sqlite_refused_data(""));
    }

    #[test]
    fn postgres_sqlstates_by_class() {
        for busy in [
            "40001", "40P01", "55P03", "57014", "57P01", "53300", "08006",
        ] {
            assert!(
                postgres_busy(busy) && !postgres_refused_data(busy),
                "{busy}"
            );
        }
        // 22021: text PostgreSQL cannot store; its number's low byte is SQLITE_BUSY's.
        for refused in ["22021", "22003", "22P02", "23505", "23514"] {
            assert!(
                postgres_refused_data(refused) && !postgres_busy(refused),
                "{refused}"
            );
        }
        for neither in ["42P01", "XX000", "2", ""] {
            assert!(
                !postgres_busy(neither) && !postgres_refused_data(neither),
                "{neither}"
            );
        }
    }
}
