use serde::{Deserialize, Serialize};

/// What happened to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    List,
    Read,
    /// A read from the device's encrypted cache, reported at its next sync.
    ReadOnDevice,
    Create,
    Update,
    SignIn,
    SignInFailed,
    SignOut,
    PasswordChanged,
    PasswordReset,
    AccountDisabled,
    AccountEnabled,
    DeviceRevoked,
    /// A report table downloaded (CSV, XLSX).
    Export,
}

impl AuditAction {
    pub const ALL: &'static [Self] = &[
        Self::List,
        Self::Read,
        Self::ReadOnDevice,
        Self::Create,
        Self::Update,
        Self::SignIn,
        Self::SignInFailed,
        Self::SignOut,
        Self::PasswordChanged,
        Self::PasswordReset,
        Self::AccountDisabled,
        Self::AccountEnabled,
        Self::DeviceRevoked,
        Self::Export,
    ];
}

impl crate::stored::StoredEnum for AuditAction {
    const KIND: &'static str = "audit action";
    const ALL: &'static [Self] = Self::ALL;

    fn as_str(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Read => "read",
            Self::ReadOnDevice => "read_on_device",
            Self::Create => "create",
            Self::Update => "update",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignOut => "sign_out",
            Self::PasswordChanged => "password_changed",
            Self::PasswordReset => "password_reset",
            Self::AccountDisabled => "account_disabled",
            Self::AccountEnabled => "account_enabled",
            Self::DeviceRevoked => "device_revoked",
            Self::Export => "export",
        }
    }
}

/// One line of the audit view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditRow {
    pub at: String,
    pub account_login: Option<String>,
    pub device_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub record_id: Option<String>,
    pub village_id: Option<String>,
    pub allowed: bool,
}

/// The audit view's filters; empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub entity: String,
    pub action: String,
    pub login: String,
    pub village_id: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    /// Only refused accesses.
    pub denied_only: bool,
}
