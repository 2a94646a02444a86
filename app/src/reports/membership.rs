//! Program membership (DESIGN §1), kept by the admin and the region coordinator: per village
//! whether it is in the program, since and until when, and its residents and households with
//! where and when they were counted. Villages outside the program serve as comparison.
//! Every change is audited.
use crate::errors::AppError;
use crate::places::{LocalizedName, ProgramStatus};
use crate::stored::StoredEnum;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A village's membership as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub village_id: String,
    pub village: LocalizedName,
    pub district: LocalizedName,
    pub status: ProgramStatus,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
    pub population: Option<i64>,
    pub households: Option<i64>,
    pub source: Option<String>,
    pub year: Option<i64>,
    /// A comparison village made up for the demo, or figures the demo wrote.
    pub demo: bool,
}

/// The form as typed: text, checked by `checked`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MembershipForm {
    pub village_id: String,
    pub status: String,
    pub joined_on: String,
    pub left_on: String,
    pub population: String,
    pub households: String,
    pub source: String,
    pub year: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckedMembership {
    pub status: ProgramStatus,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
    pub population: Option<i64>,
    pub households: Option<i64>,
    pub source: Option<String>,
    pub year: Option<i64>,
}

/// The largest village the form takes (the region's largest town is under 150,000).
const MAX_RESIDENTS: i64 = 1_000_000;
/// The first census of independent Kazakhstan.
const FIRST_COUNT_YEAR: i64 = 1989;

impl MembershipForm {
    /// The form's rules, the one place they are written: dates not in the future, leaving
    /// after joining, a village outside the program without dates, households no more than
    /// residents, a count's year not before 1989 nor after this year.
    pub fn checked(&self, today: &str) -> Result<CheckedMembership, AppError> {
        let invalid = |field: &str| AppError::InvalidField(field.into());
        let status = ProgramStatus::parse(self.status.trim()).map_err(|_| invalid("status"))?;
        let date = |field: &str, value: &str| -> Result<Option<String>, AppError> {
            match value.trim() {
                "" => Ok(None),
                day => crate::fields::past_date(field, day, today)
                    .map(Some)
                    .map_err(|_| invalid(field)),
            }
        };
        let joined_on = date("joined_on", &self.joined_on)?;
        let left_on = date("left_on", &self.left_on)?;
        if status == ProgramStatus::NotJoined && joined_on.is_some() && left_on.is_none() {
            return Err(invalid("joined_on"));
        }
        // A village that left is outside the program now: it keeps both dates, and a village
        // in the program has no leaving date.
        if left_on.is_some() && (joined_on.is_none() || status != ProgramStatus::NotJoined) {
            return Err(invalid("left_on"));
        }
        if let (Some(joined), Some(left)) = (&joined_on, &left_on) {
            if left <= joined {
                return Err(invalid("left_on"));
            }
        }
        let number =
            |field: &str, value: &str, min: i64, max: i64| -> Result<Option<i64>, AppError> {
                let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                if digits.is_empty() {
                    return Ok(None);
                }
                digits
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (min..=max).contains(n))
                    .map(Some)
                    .ok_or_else(|| invalid(field))
            };
        let population = number("population", &self.population, 1, MAX_RESIDENTS)?;
        let households = number("households", &self.households, 1, MAX_RESIDENTS)?;
        if let (Some(residents), Some(households)) = (population, households) {
            if households > residents {
                return Err(invalid("households"));
            }
        }
        let this_year = today
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(i64::MAX);
        let year = number("year", &self.year, FIRST_COUNT_YEAR, this_year)?;
        let source = crate::fields::optional_text(
            "source",
            Some(&self.source),
            crate::fields::SHORT_TEXT_MAX,
        )
        .map_err(|_| invalid("source"))?;
        // A count without its source and year cannot be weighed by whoever reads the rates.
        if population.is_some() && (source.is_none() || year.is_none()) {
            return Err(invalid(if source.is_none() { "source" } else { "year" }));
        }
        Ok(CheckedMembership {
            status,
            joined_on,
            left_on,
            population,
            households,
            source,
            year,
        })
    }
}

#[server(endpoint = "reports/membership")]
pub async fn list_membership() -> Result<Vec<Membership>, AppError> {
    let who = crate::accounts::signed_in()?;
    server::may_keep(&who)?;
    let pool = crate::db::pool()?;
    Ok(server::list(&pool).await?)
}

#[server(endpoint = "reports/save_membership")]
pub async fn save_membership(form: MembershipForm) -> Result<(), AppError> {
    let who = crate::accounts::signed_in()?;
    server::save(&who, form).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::{Membership, MembershipForm};
    use crate::access::{Role, Scope};
    use crate::accounts::session::SignedIn;
    use crate::audit::store::Entry;
    use crate::audit::AuditAction;
    use crate::db::BeginWrite;
    use crate::db::DbPool;
    use crate::errors::{refuse, AppError};
    use crate::places::{LocalizedName, ProgramStatus};
    use crate::stored::StoredEnum;

    /// The admin and the region coordinator, working for the whole region.
    pub fn may_keep(who: &SignedIn) -> Result<(), AppError> {
        let role = matches!(who.principal.role, Role::Admin | Role::RegionCoordinator);
        if role && who.principal.scope == Scope::Region {
            Ok(())
        } else {
            Err(AppError::Forbidden.respond())
        }
    }

    type Row = (
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<i64>,
        bool,
    );

    pub async fn list(pool: &DbPool) -> Result<Vec<Membership>, sqlx::Error> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT v.id, v.name_ru, v.name_kk, d.name_ru, d.name_kk, v.program_status, \
             v.joined_on, v.left_on, v.population, v.households, v.population_source, \
             v.population_year, v.demo = TRUE OR v.membership_demo = TRUE \
             FROM villages v JOIN districts d ON d.id = v.district_id ORDER BY d.name_ru, v.name_ru",
        )
        .fetch_all(pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(Membership {
                    status: ProgramStatus::parse(&row.5).ok()?,
                    village_id: row.0,
                    village: LocalizedName {
                        ru: row.1,
                        kk: row.2,
                    },
                    district: LocalizedName {
                        ru: row.3,
                        kk: row.4,
                    },
                    joined_on: row.6,
                    left_on: row.7,
                    population: row.8,
                    households: row.9,
                    source: row.10,
                    year: row.11,
                    demo: row.12,
                })
            })
            .collect())
    }

    pub async fn save(who: &SignedIn, form: MembershipForm) -> Result<(), AppError> {
        may_keep(who)?;
        let now = crate::db::now_rfc3339();
        let checked = form.checked(&now[..10]).map_err(AppError::respond)?;
        let pool = crate::db::pool()?;
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE villages SET program_status = $1, joined_on = $2, left_on = $3, \
             population = $4, households = $5, population_source = $6, population_year = $7, \
             membership_demo = FALSE WHERE id = $8",
        )
        .bind(checked.status.as_str())
        .bind(&checked.joined_on)
        .bind(&checked.left_on)
        .bind(checked.population)
        .bind(checked.households)
        .bind(&checked.source)
        .bind(checked.year)
        .bind(form.village_id.trim())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return refuse(AppError::NotFound);
        }
        let village = form.village_id.trim();
        crate::audit::store::record(
            &mut *tx,
            Entry::by(who, AuditAction::Update, "village_membership")
                .record(village)
                .village(Some(village))
                .detail(format!("status={}", checked.status.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MembershipForm {
        MembershipForm {
            village_id: "v".into(),
            status: "joined".into(),
            joined_on: "2025-03-01".into(),
            population: "1 240".into(),
            households: "310".into(),
            source: "Бюро национальной статистики".into(),
            year: "2024".into(),
            ..MembershipForm::default()
        }
    }

    fn refused(form: MembershipForm) -> String {
        match form.checked("2026-11-30") {
            Err(AppError::InvalidField(field)) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_joined_village_with_its_count_is_kept_as_numbers() {
        let checked = form().checked("2026-11-30").unwrap();
        assert_eq!(checked.population, Some(1240));
        assert_eq!(checked.households, Some(310));
        assert_eq!(checked.joined_on.as_deref(), Some("2025-03-01"));
    }

    #[test]
    fn dates_must_be_past_and_in_order() {
        assert_eq!(
            refused(MembershipForm {
                joined_on: "2027-01-01".into(),
                ..form()
            }),
            "joined_on"
        );
        // Leaving before joining; leaving while still in the program.
        assert_eq!(
            refused(MembershipForm {
                status: "not_joined".into(),
                left_on: "2025-02-01".into(),
                ..form()
            }),
            "left_on"
        );
        assert_eq!(
            refused(MembershipForm {
                left_on: "2026-02-01".into(),
                ..form()
            }),
            "left_on"
        );
        assert_eq!(
            refused(MembershipForm {
                joined_on: "".into(),
                left_on: "2025-02-01".into(),
                ..form()
            }),
            "left_on"
        );
        // Outside the program with a joining date only: it would read as a member.
        assert_eq!(
            refused(MembershipForm {
                status: "not_joined".into(),
                ..form()
            }),
            "joined_on"
        );
        let left = MembershipForm {
            status: "not_joined".into(),
            left_on: "2026-06-01".into(),
            ..form()
        };
        assert!(left.checked("2026-11-30").is_ok());
    }

    #[test]
    fn counts_are_whole_in_range_with_their_source_and_year() {
        assert_eq!(
            refused(MembershipForm {
                population: "0".into(),
                ..form()
            }),
            "population"
        );
        assert_eq!(
            refused(MembershipForm {
                population: "12.5".into(),
                ..form()
            }),
            "population"
        );
        assert_eq!(
            refused(MembershipForm {
                households: "5000".into(),
                ..form()
            }),
            "households"
        );
        assert_eq!(
            refused(MembershipForm {
                year: "2030".into(),
                ..form()
            }),
            "year"
        );
        assert_eq!(
            refused(MembershipForm {
                source: " ".into(),
                ..form()
            }),
            "source"
        );
        assert_eq!(
            refused(MembershipForm {
                status: "maybe".into(),
                ..form()
            }),
            "status"
        );
    }
}
