use super::roles::{Place, Principal, Role};
use serde::{Deserialize, Serialize};

/// Kinds of record the policy knows (DESIGN §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    Village,
    Council,
    Account,
    Person,
    Offence,
    Visit,
    Task,
    Proposal,
    Event,
    Meeting,
    Decision,
    /// A feature of a village map layer (household, street, landmark, boundary).
    MapFeature,
    AuditEvent,
}

impl RecordKind {
    pub const ALL: &'static [RecordKind] = &[
        Self::Village,
        Self::Council,
        Self::Account,
        Self::Person,
        Self::Offence,
        Self::Visit,
        Self::Task,
        Self::Proposal,
        Self::Event,
        Self::Meeting,
        Self::Decision,
        Self::MapFeature,
        Self::AuditEvent,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    List,
    Read,
    Create,
    Update,
    Delete,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Self::List,
        Self::Read,
        Self::Create,
        Self::Update,
        Self::Delete,
    ];
}

/// How far a role's permission for one kind and action reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    No,
    /// Anywhere in the region, whatever the account's scope.
    Everywhere,
    /// Records of villages the account's scope covers.
    InScope,
    /// In scope, and only what a task shares with the account (a council member sees a
    /// person of attention only through a task assigned to them).
    SharedWithMe,
    /// In scope, and only tasks assigned to the account.
    AssignedToMe,
    /// Only the account's own record.
    Own,
}

/// What the policy needs to know about the record (or, for a list or a create, the place).
#[derive(Clone, Copy, Debug, Default)]
pub struct Target<'a> {
    /// The record's village; `None` for a list over the whole scope or a record of no village.
    pub place: Option<&'a Place>,
    /// A task assigned to the account shares this record with it.
    pub shared_with_me: bool,
    /// The record is a task assigned to the account.
    pub assigned_to_me: bool,
    /// The record is the account itself.
    pub own: bool,
}

/// The permission table: one row per kind and action. Persons of attention are the sensitive
/// kind: only inspectors and supervisors in scope read them, council members only what a task
/// shares, and nobody deletes them (a person's file is closed, and that is audited).
pub fn grant(role: Role, kind: RecordKind, action: Action) -> Grant {
    use Action::*;
    use Grant::*;
    use RecordKind as K;
    use Role::*;

    let supervisor = matches!(role, RegionCoordinator | DistrictSupervisor);
    let council_side = matches!(role, CouncilChair | CouncilMember | Akimat);
    match (kind, action) {
        (K::Village, List | Read) => Everywhere,
        (K::Village, Create | Update | Delete) => only(role == Admin, Everywhere),

        (K::Council, List | Read) if role == Admin => Everywhere,
        (K::Council, List | Read) => InScope,
        // The council and its members are kept by those who work with it: its chair, the
        // akimat's representative, the village's inspector and the region's coordinator.
        (K::Council, Create | Update) if role == Admin => Everywhere,
        (K::Council, Create | Update) => only(
            matches!(role, CouncilChair | Akimat | Inspector | RegionCoordinator),
            InScope,
        ),
        (K::Council, Delete) => only(role == Admin, Everywhere),

        (K::Account, _) if role == Admin => Everywhere,
        (K::Account, Read | Update) => Own,
        (K::Account, _) => No,

        (K::Person, List | Read) if role == Inspector || supervisor => InScope,
        (K::Person, List | Read) => {
            only(matches!(role, CouncilChair | CouncilMember), SharedWithMe)
        }
        (K::Person, Create | Update) => only(role == Inspector, InScope),
        (K::Person, Delete) => No,

        (K::Offence | K::Visit, List | Read) => only(role == Inspector || supervisor, InScope),
        (K::Offence | K::Visit, Create | Update | Delete) => only(role == Inspector, InScope),

        (K::Task, List | Read) => only(role != Admin, InScope),
        (K::Task, Create) => only(matches!(role, Inspector | CouncilChair), InScope),
        (K::Task, Update) if matches!(role, Inspector | CouncilChair) => InScope,
        (K::Task, Update) => only(role == CouncilMember, AssignedToMe),
        // Tasks are cancelled, not deleted, so their history stays.
        (K::Task, Delete) => No,

        (K::Proposal, List | Read) => only(role != Admin, InScope),
        (K::Proposal, Create) => only(council_side || role == Inspector, InScope),
        (K::Proposal, Update) => only(matches!(role, CouncilChair | Akimat | Inspector), InScope),
        (K::Proposal, Delete) => No,

        (K::Event | K::Meeting | K::Decision, List | Read) => only(role != Admin, InScope),
        (K::Event | K::Meeting | K::Decision, Create | Update | Delete) => {
            only(matches!(role, CouncilChair | Akimat | Inspector), InScope)
        }

        // The map is everybody's in the village; the inspector keeps it up to date on patrol,
        // the admin loads it from files.
        (K::MapFeature, List | Read) if role == Admin => Everywhere,
        (K::MapFeature, List | Read) => InScope,
        (K::MapFeature, Create | Update | Delete) if role == Admin => Everywhere,
        (K::MapFeature, Create | Update | Delete) => only(role == Inspector, InScope),

        (K::AuditEvent, List | Read) if role == Admin => Everywhere,
        (K::AuditEvent, List | Read) => only(supervisor, InScope),
        // The audit trail is written by the server alone and never changed.
        (K::AuditEvent, Create | Update | Delete) => No,
    }
}

fn only(condition: bool, grant: Grant) -> Grant {
    if condition {
        grant
    } else {
        Grant::No
    }
}

/// May `who` do `action` on a record of `kind` described by `target`?
///
/// A list with no place asks whether the account may list that kind at all; the store then
/// returns only the records the same grant allows (in scope, shared, assigned, own).
pub fn can(who: &Principal, action: Action, kind: RecordKind, target: &Target) -> bool {
    let whole_scope_list = action == Action::List && target.place.is_none();
    let in_scope = || match target.place {
        Some(place) => who.scope.covers(place),
        None => whole_scope_list,
    };
    match grant(who.role, kind, action) {
        Grant::No => false,
        Grant::Everywhere => true,
        Grant::InScope => in_scope(),
        Grant::SharedWithMe => in_scope() && (whole_scope_list || target.shared_with_me),
        Grant::AssignedToMe => in_scope() && (whole_scope_list || target.assigned_to_me),
        Grant::Own => whole_scope_list || target.own,
    }
}

/// Linking a person to a task shares the person with the task's assignees while it is open.
/// Only a role that reads persons by its villages may do it: one that reads a person only
/// because it was shared could pass it on and keep reading it after the inspector's task is
/// closed (issue 14).
pub fn may_link_person(role: Role) -> bool {
    matches!(
        grant(role, RecordKind::Person, Action::Read),
        Grant::InScope | Grant::Everywhere
    )
}
