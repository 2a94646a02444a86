//! What "shared with me" means for a council member, as SQL the stores run (server only).

/// The ids of the persons shared with a council member (`member`: an SQL expression, a
/// parameter or a quoted id): those linked to an open task assigned to them. The one place
/// that says what sharing is (`Grant::SharedWithMe`); the persons store and the pull
/// (`sync::reach`) both ask it.
pub fn shared_with_member(member: &str) -> String {
    format!(
        "SELECT t.person_id FROM tasks t JOIN task_assignees ta ON ta.task_id = t.id \
         WHERE ta.member_id = {member} AND t.person_id IS NOT NULL \
         AND t.status NOT IN ('verified', 'cancelled')"
    )
}
