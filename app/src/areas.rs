//! The main areas of the app as the navigation lists them. Each area grows into its own
//! folder (tasks, persons, offences, …) as its issue is built; until then its page says so.
use crate::i18n::*;
use leptos_i18n::I18nContext;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Tasks,
    Map,
    Persons,
    Offences,
    Visits,
    Proposals,
    Events,
    Council,
    Reports,
}

impl Area {
    pub const ALL: &'static [Area] = &[
        Self::Tasks,
        Self::Map,
        Self::Persons,
        Self::Offences,
        Self::Visits,
        Self::Proposals,
        Self::Events,
        Self::Council,
        Self::Reports,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Self::Tasks => "/tasks",
            Self::Map => "/map",
            Self::Persons => "/persons",
            Self::Offences => "/offences",
            Self::Visits => "/visits",
            Self::Proposals => "/proposals",
            Self::Events => "/events",
            // The council's work: its meetings and the decisions taken at them.
            Self::Council => "/meetings",
            Self::Reports => "/reports",
        }
    }

    /// The kind of record the area lists: the navigation shows an area only to roles the
    /// policy lets list it.
    pub fn kind(self) -> crate::access::RecordKind {
        use crate::access::RecordKind as K;
        match self {
            Self::Tasks => K::Task,
            Self::Map | Self::Reports => K::Village,
            Self::Persons => K::Person,
            Self::Offences => K::Offence,
            Self::Visits => K::Visit,
            Self::Proposals => K::Proposal,
            Self::Events => K::Event,
            Self::Council => K::Meeting,
        }
    }

    pub fn title(self, i18n: I18nContext<Locale>) -> &'static str {
        match self {
            Self::Tasks => t_string!(i18n, nav.tasks),
            Self::Map => t_string!(i18n, nav.map),
            Self::Persons => t_string!(i18n, nav.persons),
            Self::Offences => t_string!(i18n, nav.offences),
            Self::Visits => t_string!(i18n, nav.visits),
            Self::Proposals => t_string!(i18n, nav.proposals),
            Self::Events => t_string!(i18n, nav.events),
            Self::Council => t_string!(i18n, nav.council),
            Self::Reports => t_string!(i18n, nav.reports),
        }
    }
}
