//! Which change rows a pull may even look at for the caller (issue 14): the SQL condition
//! that keeps record ids, tombstones and the `remaining` count to what the caller may
//! receive. Whether each record then goes out whole is still its kind's call (`SyncedKind::readable`).
use super::contract::{Entity, Stream};
use crate::access::{grant, Action, Grant, Scope};
use crate::accounts::session::SignedIn;
use crate::stored::StoredEnum;

/// The `WHERE` condition on `sync_changes` for this caller and stream. Ids inside come from
/// our own tables or the session (never typed by the caller).
pub fn condition(who: &SignedIn, stream: Stream) -> String {
    let in_scope = scope(&who.principal.scope);
    let role = who.principal.role;
    let mut clauses = Vec::new();
    // A kind the role may not read is left out whole: its ids never leave the server.
    let plain: Vec<&str> = Entity::ALL
        .iter()
        .filter(|e| stream.includes(**e) && !e.sensitive())
        .filter(|e| grant(role, e.kind(), Action::Read) != Grant::No)
        .map(|e| e.as_str())
        .collect();
    if !plain.is_empty() {
        clauses.push(format!("(entity IN ({}) AND {in_scope})", quoted(&plain)));
    }
    if stream.includes(Entity::Person) {
        let readable_now = match grant(role, Entity::Person.kind(), Action::Read) {
            Grant::Everywhere | Grant::InScope => in_scope.clone(),
            Grant::SharedWithMe => format!(
                "{in_scope} AND record_id IN ({})",
                crate::access::shared_with_member(&quote(
                    who.member_id.as_deref().unwrap_or_default()
                ))
            ),
            _ => "FALSE".to_owned(),
        };
        // A person handed out before comes again when it changes: whole if still readable, or
        // as the tombstone that takes it off the device. Nobody else learns a person's id.
        clauses.push(format!(
            "(entity = 'person' AND (({readable_now}) OR record_id IN \
             (SELECT person_id FROM person_handouts WHERE account_id = {})))",
            quote(&who.principal.account_id)
        ));
    }
    if clauses.is_empty() {
        "FALSE".to_owned()
    } else {
        format!("({})", clauses.join(" OR "))
    }
}

/// The caller's villages as a condition on `village_id`.
fn scope(scope: &Scope) -> String {
    match scope {
        Scope::Region => "TRUE".to_owned(),
        Scope::District(district) => format!(
            "village_id IN (SELECT id FROM villages WHERE district_id = {})",
            quote(district)
        ),
        // `IN ()` is not SQL everywhere.
        Scope::Villages(villages) if villages.is_empty() => "FALSE".to_owned(),
        Scope::Villages(villages) => {
            let list: Vec<&str> = villages.iter().map(String::as_str).collect();
            format!("village_id IN ({})", quoted(&list))
        }
    }
}

/// SQL string literal, quotes doubled.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A list of SQL string literals; `NULL` for an empty list, which matches nothing.
fn quoted(items: &[&str]) -> String {
    if items.is_empty() {
        return "NULL".to_owned();
    }
    items
        .iter()
        .map(|i| quote(i))
        .collect::<Vec<_>>()
        .join(", ")
}
