//! Village public councils and their members: the records, their rules, their server side
//! and their pages.
pub mod import;
pub mod import_api;
mod import_preview;
mod import_views;
mod member_form;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
mod views;

pub use import_views::ImportMembersPage;
pub use member_form::{EditMemberPage, NewMemberPage};
pub use types::*;
pub use views::{council_page, member_role_label, CouncilPage};

use crate::stored::StoredEnum;
use serde::{Deserialize, Serialize};

/// What a member brings to the council (DESIGN §2). Declared in display order: the chair
/// first, then elders, then the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MemberRole {
    Chair,
    Elder,
    Akimat,
    Business,
    Other,
}

impl StoredEnum for MemberRole {
    const KIND: &'static str = "member role";
    const ALL: &'static [Self] = &[
        Self::Chair,
        Self::Elder,
        Self::Akimat,
        Self::Business,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Chair => "chair",
            Self::Elder => "elder",
            Self::Akimat => "akimat",
            Self::Business => "business",
            Self::Other => "other",
        }
    }
}

/// A member as shown on the village page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilMember {
    pub id: String,
    pub full_name: String,
    pub role: MemberRole,
    pub phone: Option<String>,
    /// ISO date the member joined the council, when known.
    pub since: Option<String>,
    pub demo: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_roles_round_trip_and_sort_chair_first() {
        for &role in MemberRole::ALL {
            assert_eq!(MemberRole::parse(role.as_str()), Ok(role));
        }
        let mut roles = vec![MemberRole::Other, MemberRole::Elder, MemberRole::Chair];
        roles.sort();
        assert_eq!(
            roles,
            [MemberRole::Chair, MemberRole::Elder, MemberRole::Other]
        );
        assert!(MemberRole::parse("boss").is_err());
    }
}
