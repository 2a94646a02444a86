//! The HTML document, the router and the app shell around every page.
mod language;
mod layout;
mod network;
mod pages;

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// Build-specific asset addresses the server knows (the stylesheet name carries the build hash).
#[derive(Clone, Debug)]
pub struct AssetLinks {
    pub stylesheet: String,
}

/// The cookie that keeps the chosen language; the server reads it for messages it writes
/// outside the app (refusals).
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

pub use crate::accounts::ProfileResource;

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
            {crate::preferences::provide_text_size()}
            <Router>
                <layout::AppLayout>
                    <Routes fallback=|| view! { <NotFound /> }>
                        // Async: the whole page is rendered before the response starts, so a
                        // missing village can still answer 404, and the HTML a service worker
                        // keeps for offline use is complete.
                        <Route path=path!("/") view={Lazy::<pages::Home>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/villages/:id") view={Lazy::<pages::Village>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/tasks") view={Lazy::<pages::Tasks>::new()} />
                        <Route path=path!("/tasks/new") view={Lazy::<pages::NewTask>::new()} />
                        <Route path=path!("/tasks/:id") view={Lazy::<pages::Task>::new()} />
                        <Route path=path!("/outbox") view={Lazy::<pages::Outbox>::new()} />
                        <Route path=path!("/map") view={Lazy::<pages::Maps>::new()} />
                        <Route path=path!("/villages/:id/map") view={Lazy::<pages::VillageMap>::new()} />
                        <Route path=path!("/villages/:id/council") view={Lazy::<pages::Council>::new()} />
                        <Route path=path!("/villages/:id/council/import") view={Lazy::<pages::ImportMembers>::new()} />
                        <Route path=path!("/members/new") view={Lazy::<pages::NewMember>::new()} />
                        <Route path=path!("/members/:id/edit") view={Lazy::<pages::EditMember>::new()} />
                        <Route path=path!("/admin/map") view={Lazy::<pages::MapImport>::new()} />
                        <Route path=path!("/sign-in") view={Lazy::<pages::SignIn>::new()} />
                        <Route path=path!("/pin") view={Lazy::<pages::SetPin>::new()} />
                        <Route path=path!("/account") view={Lazy::<pages::Account>::new()} />
                        <Route path=path!("/admin/accounts") view={Lazy::<pages::AdminAccounts>::new()} />
                        <Route path=path!("/admin/places") view={Lazy::<pages::PlacesAdmin>::new()} />
                        <Route path=path!("/audit") view={Lazy::<pages::Audit>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/persons") view={Lazy::<pages::Persons>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/persons/new") view={Lazy::<pages::NewPerson>::new()} />
                        <Route path=path!("/persons/:id") view={Lazy::<pages::Person>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/persons/:id/edit") view={Lazy::<pages::EditPerson>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/offences") view={Lazy::<pages::Offences>::new()} />
                        <Route path=path!("/offences/new") view={Lazy::<pages::NewOffence>::new()} />
                        <Route path=path!("/offences/:id") view={Lazy::<pages::Offence>::new()} />
                        <Route path=path!("/offences/:id/edit") view={Lazy::<pages::EditOffence>::new()} />
                        <Route path=path!("/visits") view={Lazy::<pages::Visits>::new()} />
                        <Route path=path!("/visits/new") view={Lazy::<pages::NewVisit>::new()} />
                        <Route path=path!("/visits/:id/edit") view={Lazy::<pages::EditVisit>::new()} />
                        <Route path=path!("/meetings") view={Lazy::<pages::Meetings>::new()} />
                        <Route path=path!("/meetings/new") view={Lazy::<pages::NewMeeting>::new()} />
                        <Route path=path!("/meetings/:id") view={Lazy::<pages::Meeting>::new()} />
                        <Route path=path!("/meetings/:id/edit") view={Lazy::<pages::EditMeeting>::new()} />
                        <Route path=path!("/decisions") view={Lazy::<pages::Decisions>::new()} />
                        <Route path=path!("/decisions/new") view={Lazy::<pages::NewDecision>::new()} />
                        <Route path=path!("/decisions/:id/edit") view={Lazy::<pages::EditDecision>::new()} />
                        <Route path=path!("/proposals") view={Lazy::<pages::Proposals>::new()} />
                        <Route path=path!("/proposals/new") view={Lazy::<pages::NewProposal>::new()} />
                        <Route path=path!("/proposals/:id") view={Lazy::<pages::Proposal>::new()} />
                        <Route path=path!("/events") view={Lazy::<pages::Events>::new()} />
                        <Route path=path!("/events/new") view={Lazy::<pages::NewEvent>::new()} />
                        <Route path=path!("/events/:id/edit") view={Lazy::<pages::EditEvent>::new()} />
                        <Route path=path!("/council") view={Lazy::<pages::Meetings>::new()} />
                        <Route path=path!("/reports") view={Lazy::<pages::Reports>::new()} />
                        <Route path=path!("/reports/villages/:id") view={Lazy::<pages::Trend>::new()} />
                        <Route path=path!("/reports/program") view={Lazy::<pages::Membership>::new()} />
                        <Route path=path!("/reports/months") view={Lazy::<pages::Closing>::new()} />
                        <Route path=path!("/reports/bulletin") view={Lazy::<pages::Bulletin>::new()} />
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

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::http_status::not_found();
    view! {
        <h1>{t!(i18n, not_found.title)}</h1>
        <p>{t!(i18n, not_found.hint)}</p>
    }
}
