use crate::councils::CouncilMember;
use crate::stored::StoredEnum;
use serde::{Deserialize, Serialize};

pub use crate::names::LocalizedName;

/// Where a village stands in the program. A joined village may not know its date yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProgramStatus {
    NotJoined,
    Joined,
    Pilot,
}

impl StoredEnum for ProgramStatus {
    const KIND: &'static str = "program status";
    const ALL: &'static [Self] = &[Self::NotJoined, Self::Joined, Self::Pilot];

    fn as_str(self) -> &'static str {
        match self {
            Self::NotJoined => "not_joined",
            Self::Joined => "joined",
            Self::Pilot => "pilot",
        }
    }
}

/// A village as listed in the picker and on the home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VillageSummary {
    pub id: String,
    pub name: LocalizedName,
    pub district: LocalizedName,
    pub district_id: String,
    pub status: ProgramStatus,
    /// The village's centre (lat, lon), approximate until an admin sets it.
    #[serde(default)]
    pub centre: Option<(f64, f64)>,
}

/// Everything the village page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VillageDetails {
    pub id: String,
    pub name: LocalizedName,
    pub district: LocalizedName,
    pub district_id: String,
    pub rural_okrug: Option<String>,
    pub status: ProgramStatus,
    /// ISO date (YYYY-MM-DD) the village joined, when known.
    pub joined_on: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// True until an admin sets the real position on the map.
    pub position_approximate: bool,
    pub has_council: bool,
    pub council_members: Vec<CouncilMember>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn program_status_round_trips_through_its_stored_value() {
        for &status in ProgramStatus::ALL {
            assert_eq!(ProgramStatus::parse(status.as_str()), Ok(status));
        }
    }

    #[test]
    fn unknown_program_status_is_an_error_naming_the_value() {
        let error = ProgramStatus::parse("maybe").unwrap_err();
        assert_eq!(error.to_string(), "unknown program status: \"maybe\"");
    }

    #[test]
    fn kazakh_name_is_used_for_kazakh_when_known_and_russian_otherwise() {
        let both = LocalizedName {
            ru: "Есиль".into(),
            kk: Some("Есіл".into()),
        };
        let ru_only = LocalizedName {
            ru: "Сепе".into(),
            kk: None,
        };
        assert_eq!(both.pick(Locale::kk), "Есіл");
        assert_eq!(both.pick(Locale::ru), "Есиль");
        assert_eq!(both.pick(Locale::en), "Есиль");
        assert_eq!(ru_only.pick(Locale::kk), "Сепе");
    }
}

/// What a village has achieved (DESIGN §1): offence figures beside the time before it joined,
/// open tasks, and the council's latest work. Parts the reader's role may not list are left
/// empty (`None` for the task count).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VillageResults {
    pub figures: crate::offences::figures::OffenceFigures,
    pub joined_on: Option<String>,
    pub open_tasks: Option<i64>,
    pub proposals: Vec<crate::proposals::Proposal>,
    pub events: Vec<crate::events::Event>,
    pub decisions: Vec<crate::meetings::Decision>,
}
