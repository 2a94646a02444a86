//! The whole access matrix: every role × record kind × action, in scope and out of it
//! (a guessed id of another village's record), shared or not, assigned or not, own or not.
//! The expected table is written out here by hand, apart from the policy's code, so a change
//! to either shows up as a failing case.
use super::policy::{can, Action, RecordKind, Target};
use super::roles::{Place, Principal, Role, Scope};

/// Columns: admin, region coordinator, district supervisor, inspector, council chair,
/// council member, akimat. `-` never, `E` everywhere, `S` in scope, `h` in scope and shared
/// by a task, `a` in scope and assigned, `o` own record only.
const EXPECTED: &[(RecordKind, Action, &str)] = {
    use Action::*;
    use RecordKind::*;
    &[
        (Village, List, "EEEEEEE"),
        (Village, Read, "EEEEEEE"),
        (Village, Create, "E------"),
        (Village, Update, "E------"),
        (Village, Delete, "E------"),
        (Council, List, "ESSSSSS"),
        (Council, Read, "ESSSSSS"),
        (Council, Create, "ES-SS-S"),
        (Council, Update, "ES-SS-S"),
        (Council, Delete, "E------"),
        (Account, List, "E------"),
        (Account, Read, "Eoooooo"),
        (Account, Create, "E------"),
        (Account, Update, "Eoooooo"),
        (Account, Delete, "E------"),
        (Person, List, "-SSShh-"),
        (Person, Read, "-SSShh-"),
        (Person, Create, "---S---"),
        (Person, Update, "---S---"),
        (Person, Delete, "-------"),
        (Offence, List, "-SSS---"),
        (Offence, Read, "-SSS---"),
        (Offence, Create, "---S---"),
        (Offence, Update, "---S---"),
        (Offence, Delete, "---S---"),
        (Visit, List, "-SSS---"),
        (Visit, Read, "-SSS---"),
        (Visit, Create, "---S---"),
        (Visit, Update, "---S---"),
        (Visit, Delete, "---S---"),
        (Task, List, "-SSSSSS"),
        (Task, Read, "-SSSSSS"),
        (Task, Create, "---SS--"),
        (Task, Update, "---SSa-"),
        (Task, Delete, "-------"),
        (Proposal, List, "-SSSSSS"),
        (Proposal, Read, "-SSSSSS"),
        (Proposal, Create, "---SSSS"),
        (Proposal, Update, "---SS-S"),
        (Proposal, Delete, "-------"),
        (Event, List, "-SSSSSS"),
        (Event, Read, "-SSSSSS"),
        (Event, Create, "---SS-S"),
        (Event, Update, "---SS-S"),
        (Event, Delete, "---SS-S"),
        (Meeting, List, "-SSSSSS"),
        (Meeting, Read, "-SSSSSS"),
        (Meeting, Create, "---SS-S"),
        (Meeting, Update, "---SS-S"),
        (Meeting, Delete, "---SS-S"),
        (Decision, List, "-SSSSSS"),
        (Decision, Read, "-SSSSSS"),
        (Decision, Create, "---SS-S"),
        (Decision, Update, "---SS-S"),
        (Decision, Delete, "---SS-S"),
        (MapFeature, List, "ESSSSSS"),
        (MapFeature, Read, "ESSSSSS"),
        (MapFeature, Create, "E--S---"),
        (MapFeature, Update, "E--S---"),
        (MapFeature, Delete, "E--S---"),
        (AuditEvent, List, "ESS----"),
        (AuditEvent, Read, "ESS----"),
        (AuditEvent, Create, "-------"),
        (AuditEvent, Update, "-------"),
        (AuditEvent, Delete, "-------"),
    ]
};

const ROLES: [Role; 7] = [
    Role::Admin,
    Role::RegionCoordinator,
    Role::DistrictSupervisor,
    Role::Inspector,
    Role::CouncilChair,
    Role::CouncilMember,
    Role::Akimat,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Situation {
    InScope,
    InScopeShared,
    InScopeAssigned,
    /// A record of a village outside the account's scope, reached by guessing its id; the
    /// share and assignment flags are set too, to show they cannot open it.
    OutOfScope,
    Own,
    NotOwn,
    WholeScopeList,
}

const SITUATIONS: [Situation; 7] = [
    Situation::InScope,
    Situation::InScopeShared,
    Situation::InScopeAssigned,
    Situation::OutOfScope,
    Situation::Own,
    Situation::NotOwn,
    Situation::WholeScopeList,
];

fn place(village: &str, district: &str) -> Place {
    Place {
        village_id: village.into(),
        district_id: district.into(),
    }
}

/// Each role's demo-like scope, one village inside it and (unless region-wide) one outside.
fn principal(role: Role) -> (Principal, Place, Option<Place>) {
    let sepe = place("sepe", "atbasar");
    let shuiskoe = place("shuiskoe", "atbasar");
    let yubileinoe = place("yubileinoe", "yesil");
    let (scope, inside, outside) = match role {
        Role::Admin | Role::RegionCoordinator => (Scope::Region, sepe, None),
        Role::DistrictSupervisor => (Scope::District("atbasar".into()), sepe, Some(yubileinoe)),
        Role::Inspector => (
            Scope::Villages(vec!["sepe".into(), "shuiskoe".into()]),
            sepe,
            Some(yubileinoe),
        ),
        Role::CouncilChair | Role::CouncilMember => (
            Scope::Villages(vec!["shuiskoe".into()]),
            shuiskoe,
            Some(sepe),
        ),
        Role::Akimat => (Scope::Villages(vec!["sepe".into()]), sepe, Some(shuiskoe)),
    };
    let who = Principal {
        account_id: format!("{role:?}"),
        role,
        scope,
    };
    (who, inside, outside)
}

fn expected(code: char, situation: Situation, action: Action) -> bool {
    use Situation::*;
    // With no village named, a list asks for "all I may see" (own, not own and whole-scope
    // lists are the same question then).
    let listing_all = matches!(situation, Own | NotOwn | WholeScopeList) && action == Action::List;
    match code {
        '-' => false,
        'E' => true,
        'S' => matches!(situation, InScope | InScopeShared | InScopeAssigned) || listing_all,
        'h' => situation == InScopeShared || listing_all,
        'a' => situation == InScopeAssigned || listing_all,
        'o' => situation == Own || listing_all,
        other => panic!("unknown code {other:?} in the expected table"),
    }
}

#[test]
fn the_table_names_every_kind_and_action_once() {
    for &kind in RecordKind::ALL {
        for &action in Action::ALL {
            let rows = EXPECTED
                .iter()
                .filter(|(k, a, _)| *k == kind && *a == action)
                .count();
            assert_eq!(rows, 1, "{kind:?} {action:?}");
        }
    }
}

#[test]
fn every_role_kind_action_and_situation_is_decided_as_the_table_says() {
    let mut cases = 0;
    let mut failures = Vec::new();
    for &(kind, action, codes) in EXPECTED {
        for (column, role) in ROLES.into_iter().enumerate() {
            let code = codes.chars().nth(column).expect("seven columns");
            let (who, inside, outside) = principal(role);
            for situation in SITUATIONS {
                let target = match situation {
                    Situation::InScope => Target {
                        place: Some(&inside),
                        ..Target::default()
                    },
                    Situation::InScopeShared => Target {
                        place: Some(&inside),
                        shared_with_me: true,
                        ..Target::default()
                    },
                    Situation::InScopeAssigned => Target {
                        place: Some(&inside),
                        assigned_to_me: true,
                        ..Target::default()
                    },
                    Situation::OutOfScope => match &outside {
                        Some(outside) => Target {
                            place: Some(outside),
                            shared_with_me: true,
                            assigned_to_me: true,
                            own: false,
                        },
                        None => continue,
                    },
                    Situation::Own => Target {
                        own: true,
                        ..Target::default()
                    },
                    Situation::NotOwn | Situation::WholeScopeList => Target::default(),
                };
                let want = expected(code, situation, action);
                let got = can(&who, action, kind, &target);
                cases += 1;
                if got != want {
                    failures.push(format!(
                        "{role:?} {action:?} {kind:?} {situation:?}: expected {want}, got {got}"
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 13 kinds × 5 actions × 7 roles × 7 situations, less the out-of-scope case of the two
    // region-wide roles.
    assert_eq!(cases, 13 * 5 * (7 * 7 - 2));
    println!("access matrix: {cases} cases");
}

#[test]
fn no_one_outside_scope_reads_a_person_of_attention_even_with_a_forged_share() {
    for role in ROLES {
        let (who, _, outside) = principal(role);
        let Some(outside) = outside else { continue };
        let target = Target {
            place: Some(&outside),
            shared_with_me: true,
            ..Target::default()
        };
        assert!(
            !can(&who, Action::Read, RecordKind::Person, &target),
            "{role:?}"
        );
    }
}

#[test]
fn only_roles_reading_persons_by_their_villages_link_a_person_to_a_task() {
    use super::policy::may_link_person;
    // Written out by hand like the table: the chair and members read a person only when a task
    // shares it, and must not share it on (issue 14).
    let expected = [
        (Role::Admin, false),
        (Role::RegionCoordinator, true),
        (Role::DistrictSupervisor, true),
        (Role::Inspector, true),
        (Role::CouncilChair, false),
        (Role::CouncilMember, false),
        (Role::Akimat, false),
    ];
    assert_eq!(expected.len(), ROLES.len());
    for (role, may) in expected {
        assert_eq!(may_link_person(role), may, "{role:?}");
    }
}
