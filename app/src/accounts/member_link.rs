//! Accounts linked to council members. A council chair's, member's or akimat's account with
//! one village is a member of that village's council: "my tasks" and the persons shared with
//! him follow the link. The admin makes it when creating the account (an existing member or a
//! new one) or later; a member is linked to one account at most.
use super::types::MemberChoice;
use crate::errors::AppError;
use leptos::prelude::*;

/// The members of a village's council an account may be linked to: current, without one.
#[server(endpoint = "admin/linkable_members")]
pub async fn linkable_members(village_id: String) -> Result<Vec<MemberChoice>, AppError> {
    server::linkable_members(village_id).await
}

/// Links an account to a member of its village's council, or unlinks it (no `member_id`).
#[server(endpoint = "admin/link_member")]
pub async fn link_member(account_id: String, member_id: Option<String>) -> Result<(), AppError> {
    server::link_member(account_id, member_id).await
}

#[cfg(feature = "ssr")]
pub(super) mod server {
    use super::super::gate::admin;
    use super::super::session::SignedIn;
    use super::super::types::NewAccount;
    use super::super::types::{member_role_for, member_village, takes_member};
    use super::MemberChoice;
    use crate::access::{Action, Role, Scope};
    use crate::audit::store::{self as audit, Entry};
    use crate::audit::AuditAction;
    use crate::councils::store::{insert_member, load_member, members_of, name_taken};
    use crate::councils::NewMember;
    use crate::db::BeginWrite;
    use crate::db::DbConnection;
    use crate::errors::{refuse, AppError};
    use crate::stored::StoredEnum;
    use crate::sync::contract::{FieldRule, Reason};
    use std::collections::HashSet;

    /// The member a new account is to be linked to, checked before anything is written.
    pub enum Wanted {
        Nobody,
        Existing { village_id: String, id: String },
        New(NewMember),
    }

    /// A member's rule broken, in the account form's words.
    fn refused(reason: Reason) -> AppError {
        let error = match reason {
            Reason::Invalid {
                rule: FieldRule::NotAPhone,
                ..
            } => AppError::MemberPhoneInvalid,
            Reason::Invalid {
                rule: FieldRule::Duplicate,
                ..
            } => AppError::MemberNameTaken,
            Reason::Invalid { field, .. } => AppError::InvalidField(match field.as_str() {
                "full_name" => "new_member_name".into(),
                "role" => "new_member_role".into(),
                "phone" => "new_member_phone".into(),
                _ => field,
            }),
            _ => AppError::InvalidField("member_id".into()),
        };
        error.respond()
    }

    /// What the create-account form asks about the member: an existing one (`member_id`), a
    /// new one (any `new_member_*` field; the name defaults to the account's, the role to the
    /// one the account's role suggests) or none, which only accounts that are no member may.
    pub fn wanted(
        form: &NewAccount,
        role: Role,
        scope: &Scope,
        display_name: &str,
        today: &str,
    ) -> Result<Wanted, AppError> {
        let existing = form.member_id.trim();
        let (name, member_role, phone) = (
            form.new_member_name.trim(),
            form.new_member_role.trim(),
            form.new_member_phone.trim(),
        );
        let asks_new = !(name.is_empty() && member_role.is_empty() && phone.is_empty());
        let villages = match scope {
            Scope::Villages(ids) => ids.as_slice(),
            _ => &[],
        };
        let Some(village_id) = member_village(role, villages) else {
            if !existing.is_empty() || asks_new {
                return refuse(AppError::MemberNotAllowed);
            }
            return Ok(Wanted::Nobody);
        };
        if !existing.is_empty() {
            if asks_new {
                // Both an existing and a new member: which one was meant is not known.
                return refuse(AppError::InvalidField("member_id".into()));
            }
            return Ok(Wanted::Existing {
                village_id,
                id: existing.to_owned(),
            });
        }
        if !asks_new {
            return refuse(AppError::MemberRequired);
        }
        let draft = NewMember {
            village_id,
            full_name: if name.is_empty() { display_name } else { name }.to_owned(),
            role: if member_role.is_empty() {
                member_role_for(role)
            } else {
                member_role
            }
            .to_owned(),
            phone: (!phone.is_empty()).then(|| phone.to_owned()),
            since: None,
            left_on: None,
        };
        draft.checked(today).map(Wanted::New).map_err(refused)
    }

    /// Links the new account as `wanted` says, on the account's transaction: a new member is
    /// written into the village's council (made if missing) first.
    pub async fn attach(
        conn: &mut DbConnection,
        who: &SignedIn,
        account_id: &str,
        wanted: Wanted,
        now: &str,
    ) -> Result<(), AppError> {
        let (village_id, member_id) = match wanted {
            Wanted::Nobody => return Ok(()),
            Wanted::Existing { village_id, id } => {
                check_linkable(conn, &village_id, &id, account_id).await?;
                (village_id, id)
            }
            Wanted::New(draft) => {
                if name_taken(conn, &draft.village_id, &draft.full_name, None).await? {
                    return Err(refused(crate::fields::invalid(
                        "full_name",
                        FieldRule::Duplicate,
                    )));
                }
                let id = crate::ids::new_id();
                insert_member(conn, who, &id, &draft, now).await?;
                (draft.village_id, id)
            }
        };
        set_member(conn, who, account_id, Some(&village_id), Some(&member_id)).await
    }

    /// Refuses a member who is not a current member of the village's council, or who is
    /// linked to another account already.
    async fn check_linkable(
        conn: &mut DbConnection,
        village_id: &str,
        member_id: &str,
        account_id: &str,
    ) -> Result<(), AppError> {
        let member = load_member(conn, member_id).await?;
        if !member.is_some_and(|m| m.village_id == village_id && m.current()) {
            return refuse(AppError::MemberUnavailable);
        }
        let others: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE member_id = $1 AND id != $2")
                .bind(member_id)
                .bind(account_id)
                .fetch_one(&mut *conn)
                .await?;
        if others > 0 {
            return refuse(AppError::MemberLinked);
        }
        Ok(())
    }

    /// Writes the link (or its removal) and its audit line.
    async fn set_member(
        conn: &mut DbConnection,
        who: &SignedIn,
        account_id: &str,
        village_id: Option<&str>,
        member_id: Option<&str>,
    ) -> Result<(), AppError> {
        sqlx::query("UPDATE accounts SET member_id = $1 WHERE id = $2")
            .bind(member_id)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
        let detail = match member_id {
            Some(id) => format!("member linked: {id}"),
            None => "member unlinked".to_owned(),
        };
        audit::record(
            &mut *conn,
            Entry::by(who, AuditAction::Update, "account")
                .record(account_id)
                .village(village_id)
                .detail(detail),
        )
        .await?;
        Ok(())
    }

    /// The current members of a village's council that no account is linked to.
    pub async fn linkable_of(
        conn: &mut DbConnection,
        village_id: &str,
    ) -> Result<Vec<MemberChoice>, sqlx::Error> {
        let linked: HashSet<String> =
            sqlx::query_scalar("SELECT member_id FROM accounts WHERE member_id IS NOT NULL")
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
        Ok(members_of(conn, village_id)
            .await?
            .into_iter()
            .filter(|m| m.current() && !linked.contains(&m.id))
            .map(|m| MemberChoice {
                id: m.id,
                full_name: m.full_name,
                role: m.role,
            })
            .collect())
    }

    pub async fn linkable_members(village_id: String) -> Result<Vec<MemberChoice>, AppError> {
        admin(Action::List)?;
        let mut conn = crate::db::pool()?.acquire().await?;
        Ok(linkable_of(&mut conn, village_id.trim()).await?)
    }

    #[derive(sqlx::FromRow)]
    struct AccountRow {
        role: String,
        scope_kind: String,
        member_id: Option<String>,
        villages: i64,
        village_id: Option<String>,
    }

    pub async fn link_member(
        account_id: String,
        member_id: Option<String>,
    ) -> Result<(), AppError> {
        let who = admin(Action::Update)?;
        let member_id = member_id
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty());
        let pool = crate::db::pool()?;
        let mut tx = pool.begin_write().await?;
        let row: Option<AccountRow> = sqlx::query_as(
            "SELECT a.role, a.scope_kind, a.member_id, \
                 (SELECT COUNT(DISTINCT village_id) FROM account_villages \
                  WHERE account_id = a.id) AS villages, \
                 (SELECT MIN(village_id) FROM account_villages WHERE account_id = a.id) \
                  AS village_id \
             FROM accounts a WHERE a.id = $1",
        )
        .bind(&account_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(account) = row else {
            return refuse(AppError::NotFound);
        };
        if account.member_id == member_id {
            return Ok(());
        }
        let one_village = account
            .village_id
            .filter(|_| account.scope_kind == "villages" && account.villages == 1);
        match &member_id {
            // Unlinking is always allowed: the member's record and tasks stay.
            None => {
                let village = one_village.as_deref();
                set_member(&mut tx, &who, &account_id, village, None).await?;
            }
            Some(id) => {
                let may = Role::parse(&account.role).is_ok_and(takes_member);
                let Some(village) = one_village.filter(|_| may) else {
                    return refuse(AppError::MemberNotAllowed);
                };
                check_linkable(&mut tx, &village, id, &account_id).await?;
                set_member(&mut tx, &who, &account_id, Some(&village), Some(id)).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const TODAY: &str = "2026-11-29";

        fn form(member_id: &str, name: &str, role: &str, phone: &str) -> NewAccount {
            NewAccount {
                member_id: member_id.into(),
                new_member_name: name.into(),
                new_member_role: role.into(),
                new_member_phone: phone.into(),
                ..NewAccount::default()
            }
        }

        fn one() -> Scope {
            Scope::Villages(vec!["v1".into()])
        }

        fn asked(form: &NewAccount, role: Role, scope: &Scope) -> Result<Wanted, AppError> {
            wanted(form, role, scope, "Асқар Нұров", TODAY)
        }

        #[test]
        fn only_a_council_side_account_of_one_village_is_a_member() {
            let nothing = form("", "", "", "");
            assert!(matches!(
                asked(&nothing, Role::Inspector, &one()),
                Ok(Wanted::Nobody)
            ));
            let two = Scope::Villages(vec!["v1".into(), "v2".into()]);
            assert!(matches!(
                asked(&nothing, Role::CouncilChair, &two),
                Ok(Wanted::Nobody)
            ));
            for role in [Role::Inspector, Role::Admin] {
                assert_eq!(
                    asked(&form("m1", "", "", ""), role, &one()).err(),
                    Some(AppError::MemberNotAllowed)
                );
            }
            assert_eq!(
                asked(&form("", "X", "", ""), Role::CouncilMember, &two).err(),
                Some(AppError::MemberNotAllowed)
            );
        }

        #[test]
        fn a_council_side_account_of_one_village_names_its_member() {
            for role in [Role::CouncilChair, Role::CouncilMember, Role::Akimat] {
                assert_eq!(
                    asked(&form("", "", "", ""), role, &one()).err(),
                    Some(AppError::MemberRequired)
                );
            }
            assert!(matches!(
                asked(&form("m1", "", "", ""), Role::CouncilMember, &one()),
                Ok(Wanted::Existing { village_id, id }) if village_id == "v1" && id == "m1"
            ));
            assert_eq!(
                asked(&form("m1", "Other", "", ""), Role::CouncilMember, &one()).err(),
                Some(AppError::InvalidField("member_id".into()))
            );
        }

        #[test]
        fn a_new_member_takes_the_accounts_name_and_a_role_that_fits() {
            let Ok(Wanted::New(draft)) = asked(
                &form("", "", "", "8 701 234 56 78"),
                Role::CouncilChair,
                &one(),
            ) else {
                panic!("a new member");
            };
            assert_eq!(draft.full_name, "Асқар Нұров");
            assert_eq!(draft.role, "chair");
            assert_eq!(draft.village_id, "v1");
            assert_eq!(draft.phone.as_deref(), Some("+77012345678"));
            assert_eq!(
                asked(
                    &form("", "Асқар", "", "+7 916 123 45 67"),
                    Role::Akimat,
                    &one()
                )
                .err(),
                Some(AppError::MemberPhoneInvalid)
            );
            assert_eq!(
                asked(&form("", "Асқар", "boss", ""), Role::Akimat, &one()).err(),
                Some(AppError::InvalidField("new_member_role".into()))
            );
        }
    }
}
