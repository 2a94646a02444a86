//! The reports last read on this device, kept to be read again without signal (issue 15):
//! counts only, never a person, in localStorage under the device's prefix, so signing out or
//! a wipe removes them with everything else. Each shows the time it was computed.
use crate::errors::AppError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A report as the page shows it: from the server now, or the copy kept on this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shown<T> {
    pub report: T,
    pub from_device: bool,
}

/// localStorage keys start with the device's prefix (`accounts::device`), which its wipe
/// clears.
#[cfg(feature = "hydrate")]
fn storage_key(key: &str) -> String {
    format!("zq.report.{key}")
}

/// Keeps `report` for reading offline (in the browser; nothing on the server).
pub fn keep<T: Serialize>(key: &str, report: &T) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(json)) = (
        web_sys::window().and_then(|window| window.local_storage().ok().flatten()),
        serde_json::to_string(report),
    ) {
        // A full storage keeps the older copy out rather than failing the page.
        let _ = storage.set_item(&storage_key(key), &json);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, report);
}

fn kept<T: DeserializeOwned>(key: &str) -> Option<T> {
    #[cfg(feature = "hydrate")]
    {
        let storage = web_sys::window()?.local_storage().ok()??;
        let json = storage.get_item(&storage_key(key)).ok()??;
        serde_json::from_str(&json).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        None
    }
}

/// The server's answer, or, when the network failed, the copy kept under `key`.
pub fn or_kept<T: DeserializeOwned>(
    key: &str,
    fetched: Result<T, AppError>,
) -> Result<Shown<T>, AppError> {
    match fetched {
        Ok(report) => Ok(Shown {
            report,
            from_device: false,
        }),
        Err(AppError::Network(reason)) => kept(key)
            .map(|report| Shown {
                report,
                from_device: true,
            })
            .ok_or(AppError::Network(reason)),
        Err(error) => Err(error),
    }
}
