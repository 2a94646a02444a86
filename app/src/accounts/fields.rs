//! Account fields whose rules the sign-in and admin forms (in the browser) and the server share.
//! Parse, don't validate: a `Login` or `NewPassword` that exists is a valid one.
use serde::{Deserialize, Serialize};

/// Wrong secrets in a row a device takes: wrong PINs or passwords on the device wipe it, and
/// wrong unlock proofs at the server stop it taking proofs until the password is typed again
/// (docs/offline-unlock.md). One number for both.
pub const MAX_WRONG_SECRETS: u32 = 5;

/// Why a login or password was refused; the forms translate these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AccountFieldError {
    #[error("a login has 3 to 64 characters: latin letters, digits, '.', '-' or '_'")]
    BadLogin,
    #[error("a password has at least {min} characters", min = NewPassword::MIN_CHARS)]
    PasswordTooShort,
    #[error("a password has at most {max} characters", max = NewPassword::MAX_CHARS)]
    PasswordTooLong,
}

/// A sign-in name: lowercase latin letters, digits and `.`, `-`, `_` (typed on any phone
/// keyboard, no look-alike Cyrillic letters), 3 to 64 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Login(String);

impl Login {
    /// Accepts surrounding spaces and capitals (as phones type them) and stores the plain form.
    pub fn parse(raw: &str) -> Result<Self, AccountFieldError> {
        let login = raw.trim().to_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        if (3..=64).contains(&login.len()) && login.chars().all(allowed) {
            Ok(Self(login))
        } else {
            Err(AccountFieldError::BadLogin)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password being set. Length is the rule (ASVS 2.1.1, 2.1.2): 12 to 128 characters,
/// any characters, spaces included, no composition rules.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, AccountFieldError> {
        match raw.chars().count() {
            n if n < Self::MIN_CHARS => Err(AccountFieldError::PasswordTooShort),
            n if n > Self::MAX_CHARS => Err(AccountFieldError::PasswordTooLong),
            _ => Ok(Self(raw.to_owned())),
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never prints the password itself.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_trimmed_lowercased_and_limited_to_safe_characters() {
        assert_eq!(
            Login::parse("  Demo.Inspector ").unwrap().as_str(),
            "demo.inspector"
        );
        assert_eq!(Login::parse("ab"), Err(AccountFieldError::BadLogin));
        assert_eq!(Login::parse("инспектор"), Err(AccountFieldError::BadLogin));
        assert_eq!(Login::parse("a b c"), Err(AccountFieldError::BadLogin));
        assert_eq!(
            Login::parse(&"a".repeat(65)),
            Err(AccountFieldError::BadLogin)
        );
    }

    #[test]
    fn passwords_are_judged_by_length_in_characters_only() {
        assert!(NewPassword::parse("қазақша құпия сөз").is_ok());
        assert_eq!(
            NewPassword::parse("short").unwrap_err(),
            AccountFieldError::PasswordTooShort
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129)).unwrap_err(),
            AccountFieldError::PasswordTooLong
        );
        assert_eq!(
            format!("{:?}", NewPassword::parse("secret secret").unwrap()),
            "NewPassword(***)"
        );
    }
}
