//! Every page as a lazily loaded route: in the browser each page's code is a wasm chunk of its
//! own (cargo-leptos `--split`), fetched when the page is first opened, so the first load of a
//! page carries the app shell and that page only (README, "Light on a rural phone").
//!
//! Leptos's `#[lazy_route]` would do the same, but a chunk that fails to arrive (the signal
//! drops, or a new build replaced the one the page runs) aborts its whole wasm module. Each
//! chunk here is declared `fallible`, and a failed load shows a translated notice with a way to
//! load the page again; nothing typed is lost, as drafts and the outbox live in IndexedDB.
use crate::accounts::{AccountPage, AdminAccountsPage, SetPinPage, SignInPage};
use crate::audit::AuditPage;
use crate::councils::{CouncilPage, EditMemberPage, ImportMembersPage, NewMemberPage};
use crate::events::{EditEventPage, EventsPage, NewEventPage};
use crate::home::HomePage;
use crate::i18n::*;
use crate::map::{MapImportPage, MapsPage, VillageMapPage};
use crate::meetings::{
    DecisionsPage, EditDecisionPage, EditMeetingPage, MeetingPage, MeetingsPage, NewDecisionPage,
    NewMeetingPage,
};
use crate::offences::{EditOffencePage, NewOffencePage, OffencePage, OffencesPage};
use crate::persons::{EditPersonPage, NewPersonPage, PersonPage, PersonsPage};
use crate::places::{PlacesAdminPage, VillagePage};
use crate::proposals::{NewProposalPage, ProposalPage, ProposalsPage};
use crate::reports::{BulletinPage, ClosingPage, MembershipPage, ReportsPage, TrendPage};
use crate::sync::views::OutboxPage;
use crate::tasks::{NewTaskPage, TaskPage, TasksPage};
use crate::visits::{EditVisitPage, NewVisitPage, VisitsPage};
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// A page's chunk did not load.
#[derive(Debug, Clone, Copy)]
pub struct ChunkNotLoaded;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkNotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkNotLoaded
    }
}

/// `Route(module) in chunk => page view;` makes `Route` (for `Lazy::<Route>`) whose view is
/// built in the wasm chunk `chunk`, in a module of its own. On the server the view is built at
/// once, and the chunk's name is recorded so the page's HTML asks the browser to fetch that
/// chunk beside the main module.
macro_rules! lazy_pages {
    ($( $route:ident ($module:ident) in $chunk:ident => $page:expr ; )*) => { $(
        pub struct $route;

        mod $module {
            use super::*;

            #[cfg(feature = "hydrate")]
            #[::leptos::wasm_split::wasm_split(
                $chunk,
                wasm_split_path = ::leptos::wasm_split,
                preload(preload),
                fallible
            )]
            pub fn $module() -> Result<AnyView, ChunkNotLoaded> {
                Ok($page.into_any())
            }

            #[cfg(not(feature = "hydrate"))]
            pub async fn $module() -> Result<AnyView, ChunkNotLoaded> {
                ::leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
                Ok($page.into_any())
            }

            #[cfg(not(feature = "hydrate"))]
            pub async fn preload() -> Result<(), ChunkNotLoaded> {
                Ok(())
            }
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $module::$module().await.unwrap_or_else(|_| page_not_loaded())
            }

            async fn preload() {
                // A failure here is met again, and shown, when the view is built.
                let _ = $module::preload().await;
            }
        }
    )* };
}

// Pages travel in a few chunks, by who opens them together, rather than one each: wasm-split
// gives every set of chunks sharing code a chunk of its own, and 44 page chunks made about 750
// files, 75 of them for the sign-in page alone, each a round trip on a rural link.
lazy_pages! {
    Home(home_page) in home_pages => view! { <HomePage /> };
    Village(village_page) in home_pages => view! { <VillagePage /> };
    Tasks(tasks_page) in records_pages => view! { <TasksPage /> };
    NewTask(new_task_page) in records_pages => view! { <NewTaskPage /> };
    Task(task_page) in records_pages => view! { <TaskPage /> };
    Outbox(outbox_page) in home_pages => view! { <OutboxPage /> };
    Maps(maps_page) in map_pages => view! { <MapsPage /> };
    VillageMap(village_map_page) in map_pages => view! { <VillageMapPage /> };
    Council(council_page) in council_pages => view! { <CouncilPage /> };
    ImportMembers(import_members_page) in council_pages => view! { <ImportMembersPage /> };
    NewMember(new_member_page) in council_pages => view! { <NewMemberPage /> };
    EditMember(edit_member_page) in council_pages => view! { <EditMemberPage /> };
    MapImport(map_import_page) in map_pages => view! { <MapImportPage /> };
    SignIn(sign_in_page) in entry_pages => view! { <SignInPage /> };
    SetPin(set_pin_page) in entry_pages => view! { <SetPinPage /> };
    Account(account_page) in entry_pages => view! { <AccountPage /> };
    AdminAccounts(admin_accounts_page) in admin_pages => view! { <AdminAccountsPage /> };
    PlacesAdmin(places_admin_page) in admin_pages => view! { <PlacesAdminPage /> };
    Audit(audit_page) in admin_pages => view! { <AuditPage /> };
    Persons(persons_page) in persons_pages => view! { <PersonsPage /> };
    NewPerson(new_person_page) in persons_pages => view! { <NewPersonPage /> };
    Person(person_page) in persons_pages => view! { <PersonPage /> };
    EditPerson(edit_person_page) in persons_pages => view! { <EditPersonPage /> };
    Offences(offences_page) in records_pages => view! { <OffencesPage /> };
    NewOffence(new_offence_page) in records_pages => view! { <NewOffencePage /> };
    Offence(offence_page) in records_pages => view! { <OffencePage /> };
    EditOffence(edit_offence_page) in records_pages => view! { <EditOffencePage /> };
    Visits(visits_page) in records_pages => view! { <VisitsPage /> };
    NewVisit(new_visit_page) in records_pages => view! { <NewVisitPage /> };
    EditVisit(edit_visit_page) in records_pages => view! { <EditVisitPage /> };
    Meetings(meetings_page) in council_pages => view! { <MeetingsPage /> };
    NewMeeting(new_meeting_page) in council_pages => view! { <NewMeetingPage /> };
    Meeting(meeting_page) in council_pages => view! { <MeetingPage /> };
    EditMeeting(edit_meeting_page) in council_pages => view! { <EditMeetingPage /> };
    Decisions(decisions_page) in council_pages => view! { <DecisionsPage /> };
    NewDecision(new_decision_page) in council_pages => view! { <NewDecisionPage /> };
    EditDecision(edit_decision_page) in council_pages => view! { <EditDecisionPage /> };
    Proposals(proposals_page) in council_pages => view! { <ProposalsPage /> };
    NewProposal(new_proposal_page) in council_pages => view! { <NewProposalPage /> };
    Proposal(proposal_page) in council_pages => view! { <ProposalPage /> };
    Events(events_page) in council_pages => view! { <EventsPage /> };
    NewEvent(new_event_page) in council_pages => view! { <NewEventPage /> };
    EditEvent(edit_event_page) in council_pages => view! { <EditEventPage /> };
    Reports(reports_page) in report_pages => view! { <ReportsPage /> };
    Trend(trend_page) in report_pages => view! { <TrendPage /> };
    Membership(membership_page) in report_pages => view! { <MembershipPage /> };
    Closing(closing_page) in report_pages => view! { <ClosingPage /> };
    Bulletin(bulletin_page) in report_pages => view! { <BulletinPage /> };
}

/// Shown in place of a page whose chunk did not arrive. The link reloads the whole page, which
/// also brings the current build when a new one replaced the running one.
fn page_not_loaded() -> AnyView {
    let i18n = use_i18n();
    let here = leptos_router::hooks::use_location();
    let href = move || {
        let search = here.search.get();
        let search = search.trim_start_matches('?');
        let query = if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        };
        format!("{}{query}", here.pathname.get())
    };
    view! {
        <h1>{t!(i18n, page_not_loaded.title)}</h1>
        <p role="alert">{t!(i18n, page_not_loaded.hint)}</p>
        <p>
            <a class="button" href=href rel="external">
                {t!(i18n, page_not_loaded.reload)}
            </a>
        </p>
    }
    .into_any()
}
