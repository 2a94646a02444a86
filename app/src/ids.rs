//! Record ids: UUIDv7, made wherever a record is born — on the device for everything typed
//! there (so the same entry sent twice keeps its id, DESIGN §4.1), on the server for what
//! only the server makes (accounts, sessions, audit lines, imports).

/// A new UUIDv7: time-ordered, so new rows land at the end of their index.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
