use crate::access::Role;
use serde::{Deserialize, Serialize};

/// Who is signed in, loaded once per page by the layout.
pub type ProfileResource =
    leptos::prelude::Resource<Result<Option<Profile>, crate::errors::AppError>>;

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

/// Who is signed in as the server saw it when it rendered the page the app started from: the
/// layout provides it, so a page opened later in the browser reads the same answer (its own
/// `profile_now` would ask a server that is not there).
#[derive(Clone, Debug, PartialEq)]
pub struct KnownProfile(pub Option<Profile>);

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
    /// The council member this account is, by id and name.
    pub member_id: Option<String>,
    pub member: Option<String>,
    /// The village whose council member this account may be linked to: set for a council
    /// side account with exactly one village.
    pub member_village_id: Option<String>,
    /// Members it may be linked to now (current, without an account), when it has none.
    pub linkable: Vec<MemberChoice>,
}

/// A council member offered for linking to an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChoice {
    pub id: String,
    pub full_name: String,
    /// A stored member role (`chair`, `elder`, …).
    pub role: String,
}

/// The roles that sit on (or beside) a village council: their accounts are council members.
pub fn takes_member(role: Role) -> bool {
    matches!(
        role,
        Role::CouncilChair | Role::CouncilMember | Role::Akimat
    )
}

/// The village whose council the person of an account sits on: a council-side role with
/// exactly one village. The one rule for the account form and the server.
pub fn member_village(role: Role, villages: &[String]) -> Option<String> {
    let distinct: std::collections::BTreeSet<&String> = villages.iter().collect();
    (takes_member(role) && distinct.len() == 1).then(|| villages[0].clone())
}

/// The member role a new member made with an account of `role` most likely has.
pub fn member_role_for(role: Role) -> &'static str {
    match role {
        Role::CouncilChair => "chair",
        Role::Akimat => "akimat",
        _ => "elder",
    }
}

/// The create-account form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    /// A stored role name (`inspector`, …).
    pub role: String,
    /// `region`, `district` or `villages`.
    pub scope: String,
    pub district_id: String,
    /// Village ids, comma-separated.
    pub village_ids: String,
    pub password: String,
    /// The existing council member a council-side account of one village is (empty for a
    /// new member or an account that is none).
    pub member_id: String,
    /// A new member made with the account: the name (the account's when empty), the member
    /// role (`chair`, `elder`, …; from the account's role when empty) and the phone.
    pub new_member_name: String,
    pub new_member_role: String,
    pub new_member_phone: String,
}
