use crate::stored::StoredEnum;
use serde::{Deserialize, Serialize};

/// The roles of DESIGN §1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    RegionCoordinator,
    DistrictSupervisor,
    Inspector,
    CouncilChair,
    CouncilMember,
    Akimat,
}

impl StoredEnum for Role {
    const KIND: &'static str = "role";
    const ALL: &'static [Self] = &[
        Self::Admin,
        Self::RegionCoordinator,
        Self::DistrictSupervisor,
        Self::Inspector,
        Self::CouncilChair,
        Self::CouncilMember,
        Self::Akimat,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::RegionCoordinator => "region_coordinator",
            Self::DistrictSupervisor => "district_supervisor",
            Self::Inspector => "inspector",
            Self::CouncilChair => "council_chair",
            Self::CouncilMember => "council_member",
            Self::Akimat => "akimat",
        }
    }
}

/// The part of the region an account works in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Region,
    District(String),
    Villages(Vec<String>),
}

/// Where a record lives: its village and that village's district.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub village_id: String,
    pub district_id: String,
}

impl Scope {
    pub fn covers(&self, place: &Place) -> bool {
        match self {
            Self::Region => true,
            Self::District(district) => *district == place.district_id,
            Self::Villages(villages) => villages.contains(&place.village_id),
        }
    }
}

/// The signed-in account as the policy sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: String,
    pub role: Role,
    pub scope: Scope,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(village: &str, district: &str) -> Place {
        Place {
            village_id: village.into(),
            district_id: district.into(),
        }
    }

    #[test]
    fn scopes_cover_their_villages_their_district_or_everything() {
        let sepe = place("sepe", "atbasar");
        let yubileinoe = place("yubileinoe", "yesil");
        let villages = Scope::Villages(vec!["sepe".into()]);
        let district = Scope::District("atbasar".into());
        assert!(villages.covers(&sepe) && !villages.covers(&yubileinoe));
        assert!(district.covers(&sepe) && !district.covers(&yubileinoe));
        assert!(Scope::Region.covers(&sepe) && Scope::Region.covers(&yubileinoe));
    }

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
    }
}
