use crate::access::Role;
use serde::{Deserialize, Serialize};

/// Who is signed in, as the pages (and, offline, this device) know it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub account_id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub device_id: String,
    /// The council member this account is (council roles), so "my tasks" can be found on
    /// the device without a connection.
    #[serde(default)]
    pub member_id: Option<String>,
}

/// One account in the admin's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// "region", a district name or village names, for display.
    pub scope: String,
    pub disabled: bool,
}
