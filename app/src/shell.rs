//! The HTML document, the router and the app shell around every page.
mod language;
mod layout;
mod network;

use crate::accounts::{AccountPage, AdminAccountsPage, Profile, SetPinPage, SignInPage};
use crate::areas::{Area, AreaPage};
use crate::audit::AuditPage;
use crate::councils::ImportMembersPage;
use crate::councils::{CouncilPage, EditMemberPage, NewMemberPage};
use crate::errors::AppError;
use crate::events::{EditEventPage, EventsPage, NewEventPage};
use crate::i18n::*;
use crate::map::{MapImportPage, MapsPage, VillageMapPage};
use crate::meetings::{
    DecisionsPage, EditDecisionPage, EditMeetingPage, MeetingPage, MeetingsPage, NewDecisionPage,
    NewMeetingPage,
};
use crate::offences::{EditOffencePage, NewOffencePage, OffencePage, OffencesPage};
use crate::persons::{EditPersonPage, NewPersonPage, PersonPage, PersonsPage};
use crate::places::{HomePage, PlacesAdminPage, VillagePage};
use crate::proposals::{NewProposalPage, ProposalPage, ProposalsPage};
use crate::sync::views::OutboxPage;
use crate::tasks::{NewTaskPage, TaskPage, TasksPage};
use crate::visits::{EditVisitPage, NewVisitPage, VisitsPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// Build-specific asset addresses the server knows (the stylesheet name carries the build hash).
#[derive(Clone, Debug)]
pub struct AssetLinks {
    pub stylesheet: String,
}

/// The cookie that keeps the chosen language; the server reads it for messages it writes
/// outside the app (refusals).
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

/// Who is signed in, loaded once per page by the layout.
pub type ProfileResource = Resource<Result<Option<Profile>, AppError>>;

/// The colour of the browser chrome and the splash screen; matches the manifest.
pub const THEME_COLOR: &str = "#0f5e4a";

pub fn shell(options: LeptosOptions, assets: AssetLinks) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content=THEME_COLOR />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" type="image/png" sizes="192x192" href="/icons/icon-192.png" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" href=assets.stylesheet />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider cookie_name=LANGUAGE_COOKIE>
            <DocumentTitle />
            <Router>
                <layout::AppLayout>
                    <Routes fallback=|| view! { <NotFound /> }>
                        // Async: the whole page is rendered before the response starts, so a
                        // missing village can still answer 404, and the HTML a service worker
                        // keeps for offline use is complete.
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/villages/:id") view=VillagePage ssr=SsrMode::Async />
                        <Route path=path!("/tasks") view=TasksPage />
                        <Route path=path!("/tasks/new") view=NewTaskPage />
                        <Route path=path!("/tasks/:id") view=TaskPage />
                        <Route path=path!("/outbox") view=OutboxPage />
                        <Route path=path!("/map") view=MapsPage />
                        <Route path=path!("/villages/:id/map") view=VillageMapPage />
                        <Route path=path!("/villages/:id/council") view=CouncilPage />
                        <Route path=path!("/villages/:id/council/import") view=ImportMembersPage />
                        <Route path=path!("/members/new") view=NewMemberPage />
                        <Route path=path!("/members/:id/edit") view=EditMemberPage />
                        <Route path=path!("/admin/map") view=MapImportPage />
                        <Route path=path!("/sign-in") view=SignInPage />
                        <Route path=path!("/pin") view=SetPinPage />
                        <Route path=path!("/account") view=AccountPage />
                        <Route path=path!("/admin/accounts") view=AdminAccountsPage />
                        <Route path=path!("/admin/places") view=PlacesAdminPage />
                        <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                        <Route path=path!("/persons") view=PersonsPage ssr=SsrMode::Async />
                        <Route path=path!("/persons/new") view=NewPersonPage />
                        <Route path=path!("/persons/:id") view=PersonPage ssr=SsrMode::Async />
                        <Route path=path!("/persons/:id/edit") view=EditPersonPage ssr=SsrMode::Async />
                        <Route path=path!("/offences") view=OffencesPage />
                        <Route path=path!("/offences/new") view=NewOffencePage />
                        <Route path=path!("/offences/:id") view=OffencePage />
                        <Route path=path!("/offences/:id/edit") view=EditOffencePage />
                        <Route path=path!("/visits") view=VisitsPage />
                        <Route path=path!("/visits/new") view=NewVisitPage />
                        <Route path=path!("/visits/:id/edit") view=EditVisitPage />
                        <Route path=path!("/meetings") view=MeetingsPage />
                        <Route path=path!("/meetings/new") view=NewMeetingPage />
                        <Route path=path!("/meetings/:id") view=MeetingPage />
                        <Route path=path!("/meetings/:id/edit") view=EditMeetingPage />
                        <Route path=path!("/decisions") view=DecisionsPage />
                        <Route path=path!("/decisions/new") view=NewDecisionPage />
                        <Route path=path!("/decisions/:id/edit") view=EditDecisionPage />
                        <Route path=path!("/proposals") view=ProposalsPage />
                        <Route path=path!("/proposals/new") view=NewProposalPage />
                        <Route path=path!("/proposals/:id") view=ProposalPage />
                        <Route path=path!("/events") view=EventsPage />
                        <Route path=path!("/events/new") view=NewEventPage />
                        <Route path=path!("/events/:id/edit") view=EditEventPage />
                        <Route path=path!("/council") view=MeetingsPage />
                        <Route path=path!("/reports") view=|| view! { <AreaPage area=Area::Reports /> } />
                    </Routes>
                </layout::AppLayout>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    let title = move || t_string!(i18n, app_name).to_string();
    // On the server the title is read once, now: leptos_meta calls a title closure only when it
    // writes the <head>, after this page's reactive owner may be gone; under concurrent requests
    // that read panicked ("already been disposed", "no Arena is active") and broke a page load.
    // In the browser it stays a closure so the title follows a change of language.
    #[cfg(feature = "ssr")]
    let title = title();
    view! { <Title text=title /> }
}

/// An error from a server function, in the person's language, with a way on where there is
/// one (signing in again).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let sign_in_again = matches!(error, AppError::SignInRequired);
    let message = move || error.message(i18n.get_locale());
    view! {
        <p class="error" role="alert">
            {message}
        </p>
        <Show when=move || sign_in_again>
            <p>
                <a class="button" href="/sign-in" rel="external">
                    {t!(i18n, sign_in.title)}
                </a>
            </p>
        </Show>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::http_status::not_found();
    view! {
        <h1>{t!(i18n, not_found.title)}</h1>
        <p>{t!(i18n, not_found.hint)}</p>
    }
}
