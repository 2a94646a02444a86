//! A council and its members as they travel through sync, and the rules both the forms and
//! the server apply to them (who sits on a village's public council: README, "Setting up a
//! real installation").
pub use crate::fields::name_key;
use crate::fields::{choice, invalid, name, optional_date, village, SHORT_TEXT_MAX};
use crate::stored::StoredEnum;
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

use super::MemberRole;

/// A village's council: one per village, with the date it was formed when known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Council {
    pub id: String,
    pub village_id: String,
    pub formed_on: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

/// The payload of a council's `create` or `update`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewCouncil {
    pub village_id: String,
    #[serde(default)]
    pub formed_on: Option<String>,
}

impl NewCouncil {
    pub fn checked(&self, today: &str) -> Result<NewCouncil, Reason> {
        Ok(NewCouncil {
            village_id: village(&self.village_id)?,
            formed_on: optional_past_date("formed_on", self.formed_on.as_deref(), today)?,
        })
    }

    pub fn shown(&self, id: &str, version: i64) -> Council {
        Council {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            formed_on: self.formed_on.clone(),
            version,
            updated_at: String::new(),
        }
    }
}

impl From<&Council> for NewCouncil {
    fn from(council: &Council) -> Self {
        NewCouncil {
            village_id: council.village_id.clone(),
            formed_on: council.formed_on.clone(),
        }
    }
}

/// A council member. One who leaves keeps the record (and the history of his tasks) with
/// `left_on` set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub village_id: String,
    pub full_name: String,
    /// A stored member role (`chair`, `elder`, …).
    pub role: String,
    pub phone: Option<String>,
    pub since: Option<String>,
    pub left_on: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

impl Member {
    /// Still on the council: open tasks may be assigned to him.
    pub fn current(&self) -> bool {
        self.left_on.is_none()
    }
}

/// The payload of a member's `create` or `update`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewMember {
    pub village_id: String,
    pub full_name: String,
    pub role: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub left_on: Option<String>,
}

/// The stored codes of the member roles, in display order.
pub fn role_codes() -> Vec<&'static str> {
    MemberRole::ALL.iter().map(|role| role.as_str()).collect()
}

impl NewMember {
    /// The member as stored: trimmed name, known role, phone written `+77XXXXXXXXX`, dates
    /// that have come, and a leaving date not before joining.
    pub fn checked(&self, today: &str) -> Result<NewMember, Reason> {
        let since = optional_past_date("since", self.since.as_deref(), today)?;
        let left_on = optional_past_date("left_on", self.left_on.as_deref(), today)?;
        if let (Some(since), Some(left)) = (&since, &left_on) {
            if left < since {
                return Err(invalid("left_on", FieldRule::BeforeStart));
            }
        }
        Ok(NewMember {
            village_id: village(&self.village_id)?,
            full_name: name("full_name", &self.full_name, SHORT_TEXT_MAX)?,
            role: choice("role", self.role.trim(), &role_codes())?,
            phone: match self.phone.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(phone) => Some(kazakh_phone(phone)?),
            },
            since,
            left_on,
        })
    }

    pub fn shown(&self, id: &str, version: i64) -> Member {
        Member {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            full_name: self.full_name.clone(),
            role: self.role.clone(),
            phone: self.phone.clone(),
            since: self.since.clone(),
            left_on: self.left_on.clone(),
            version,
            updated_at: String::new(),
        }
    }
}

impl From<&Member> for NewMember {
    fn from(member: &Member) -> Self {
        NewMember {
            village_id: member.village_id.clone(),
            full_name: member.full_name.clone(),
            role: member.role.clone(),
            phone: member.phone.clone(),
            since: member.since.clone(),
            left_on: member.left_on.clone(),
        }
    }
}

fn optional_past_date(
    field: &str,
    value: Option<&str>,
    today: &str,
) -> Result<Option<String>, Reason> {
    match optional_date(field, value)? {
        Some(day) => crate::fields::past_date(field, &day, today).map(Some),
        None => Ok(None),
    }
}

/// A Kazakh phone number, written `+77XXXXXXXXX`. Kazakhstan shares the country code 7 with
/// Russia; its own numbers (mobile 70X/74X/75X/76X/77X and the regions' 71X/72X) all begin
/// with 7 after it. Accepted as the akimats write them: `+7 701 234 56 78`, `8 (701)
/// 234-56-78`, `87012345678`, `7012345678`.
pub fn kazakh_phone(text: &str) -> Result<String, Reason> {
    let refuse = || invalid("phone", FieldRule::NotAPhone);
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'))
        || text.chars().skip(1).any(|c| c == '+')
    {
        return Err(refuse());
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = match digits.len() {
        11 if text.trim_start().starts_with('+') && digits.starts_with('7') => &digits[1..],
        11 if !text.trim_start().starts_with('+') && digits.starts_with(['7', '8']) => &digits[1..],
        10 if !text.trim_start().starts_with('+') => &digits[..],
        _ => return Err(refuse()),
    };
    if national.starts_with('7') {
        Ok(format!("+7{national}"))
    } else {
        Err(refuse())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-29";

    fn member(name: &str, role: &str, phone: Option<&str>) -> NewMember {
        NewMember {
            village_id: "v1".into(),
            full_name: name.into(),
            role: role.into(),
            phone: phone.map(str::to_owned),
            ..Default::default()
        }
    }

    #[test]
    fn kazakh_numbers_are_accepted_as_akimats_write_them() {
        for written in [
            "+7 701 234 56 78",
            "8 (701) 234-56-78",
            "87012345678",
            "7012345678",
            "+77012345678",
        ] {
            assert_eq!(
                kazakh_phone(written),
                Ok("+77012345678".into()),
                "{written}"
            );
        }
        assert_eq!(kazakh_phone("8 7162 25-12-34"), Ok("+77162251234".into()));
    }

    #[test]
    fn russian_short_and_lettered_numbers_are_refused() {
        for written in [
            "+7 916 123 45 67",
            "89161234567",
            "12345",
            "+7 701 234 56 7x",
            "+1 701 234 5678",
            "7+7012345678",
        ] {
            assert_eq!(
                kazakh_phone(written),
                Err(invalid("phone", FieldRule::NotAPhone)),
                "{written}"
            );
        }
    }

    #[test]
    fn a_member_needs_a_name_and_a_known_role() {
        assert_eq!(
            member("  ", "elder", None).checked(TODAY),
            Err(invalid("full_name", FieldRule::Required))
        );
        assert_eq!(
            member("Асқар Нұров", "boss", None).checked(TODAY),
            Err(invalid("role", FieldRule::UnknownChoice))
        );
        let ok = member("  Асқар  Нұров ", "chair", Some("8 701 234 56 78"))
            .checked(TODAY)
            .unwrap();
        assert_eq!(ok.full_name, "Асқар Нұров");
        assert_eq!(ok.phone.as_deref(), Some("+77012345678"));
    }

    #[test]
    fn leaving_comes_after_joining_and_not_in_the_future() {
        let mut m = member("Асқар", "elder", None);
        m.since = Some("2025-03-01".into());
        m.left_on = Some("2025-02-01".into());
        assert_eq!(
            m.checked(TODAY),
            Err(invalid("left_on", FieldRule::BeforeStart))
        );
        m.left_on = Some("2030-01-01".into());
        assert_eq!(
            m.checked(TODAY),
            Err(invalid("left_on", FieldRule::InFuture))
        );
        m.left_on = Some("2026-01-01".into());
        assert!(m.checked(TODAY).is_ok());
    }

    #[test]
    fn names_compare_without_case_extra_spaces_invisible_characters_or_yo() {
        assert_eq!(name_key(" Асқар   НҰРОВ "), name_key("асқар нұров"));
        assert_eq!(name_key("Алёна\u{200b} Ким"), name_key("Алена Ким"));
    }

    #[test]
    fn a_name_of_invisible_characters_or_without_letters_is_refused() {
        assert_eq!(
            member("\u{200b}\u{202e}", "elder", None).checked(TODAY),
            Err(invalid("full_name", FieldRule::Required))
        );
        assert_eq!(
            member("#12!", "elder", None).checked(TODAY),
            Err(invalid("full_name", FieldRule::NotAName))
        );
        let kept = member("Зеро\u{200b}Уидт\u{7}", "elder", None)
            .checked(TODAY)
            .unwrap();
        assert_eq!(kept.full_name, "ЗероУидт");
    }
}
