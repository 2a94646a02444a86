//! Why a sync attempt stopped: shown in the header and on the outbox page, and obeyed by
//! the loop (wait, sign in again, wipe a revoked device).

/// Why the last sync attempt did not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncFailure {
    /// The server could not be reached.
    Offline,
    /// The session ended: changes wait on the device until the person signs in again.
    SignInNeeded,
    /// The device must confirm the password (sign in again) before the server takes its
    /// unlock proofs: its proof key is new, or too many proofs were wrong.
    SignInAgain,
    /// The server refused this device (revoked, or another account's).
    DeviceRefused,
    /// An administrator revoked this device: its data is wiped and the person signs in again.
    DeviceRevoked,
    /// A person's entry waits encrypted and the persons cache is not open: it, and what
    /// follows it in the outbox, goes once the PIN (or password) opens the cache.
    PersonsLocked,
    /// The server asked to wait this many seconds (too many requests, or busy).
    Busy(u32),
    /// The server answered with an error status.
    Server(u16),
    /// The browser's storage failed.
    Storage(String),
}
