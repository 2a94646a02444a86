use super::language::LanguageSwitch;
use super::network::NetworkStatus;
use super::ProfileResource;
use crate::access::{grant, Action, Grant, RecordKind};
use crate::accounts::{current_profile, PinLock};
use crate::areas::Area;
use crate::i18n::*;
use crate::places::{list_villages, VillagePicker, VillagesResource};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Header, section navigation and the page's main region.
///
/// The header is one line at every width (issue 19): home, the app's name, sync and network,
/// the outbox, the account, the menu. On phones the navigation, the village picker and the
/// language switch fold behind the menu button; from tablet width they stay open.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let profile: ProfileResource = Resource::new(|| (), |_| current_profile());
    provide_context(profile);
    // Who is signed in, as the server saw it when it rendered the page, handed to the browser
    // with the page. The header and menu use it rather than the resource: a suspense boundary
    // outside the routes breaks the hydration of every page that has one of its own (Leptos
    // issue #3707).
    let known = SharedValue::new(crate::accounts::profile_now).into_inner();
    provide_context(crate::accounts::KnownProfile(known.clone()));
    keep_fresh_profile(known.as_ref());
    let villages: VillagesResource = Resource::new(|| (), |_| list_villages());
    provide_context(villages);
    let locked = RwSignal::new(false);
    provide_context(crate::accounts::AppLock(locked));
    let sync = crate::sync::state::provide_sync_state();
    // Sync belongs to a device someone signed in on; known offline from the kept profile.
    // Nothing runs it before the whole page has hydrated, not even a sync asked for meanwhile
    // (DESIGN §3.2, "Hydration first"): the runner is attached only then.
    let on_device = RwSignal::new(false);
    Effect::new(move |_| {
        if !crate::hydration::page_live() {
            return;
        }
        crate::sync::runner::attach(sync);
        if crate::accounts::device::remembered_profile().is_some() {
            on_device.set(true);
            leptos::task::spawn_local(async move {
                // An unlocked tab's persons cache stays open across its page loads.
                crate::sync::reopen_cache(sync, crate::accounts::device::must_lock()).await;
                crate::sync::runner::start(sync);
            });
        }
    });

    let menu_open = RwSignal::new(false);
    let location = use_location();
    // Following a link closes the menu, so the chosen page is not hidden behind it.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });

    view! {
        <div
            class="app"
            class:locked=move || locked.get()
            // Set to "true" once the whole page, the lazily loaded page chunk included, has
            // hydrated (`crate::hydration::page_hydrated`).
            data-hydrated="false"
        >
            // First, before the page: the lock is decided in the browser, possibly while the
            // page's own chunk is still loading, and what comes before `<main>` has hydrated by
            // then, so the lock appears as a change rather than upsetting hydration.
            <PinLock locked />
            <a class="skip-link" href="#main">
                {t!(i18n, skip_to_content)}
            </a>
            <header class="topbar">
                <A href="/" attr:class="brand">
                    <img src="/icons/icon-192.png" alt="" width="36" height="36" />
                    <span class="brand-name">{t!(i18n, app_name)}</span>
                </A>
                <Show when=move || on_device.get() fallback=|| view! { <NetworkStatus /> }>
                    <crate::sync::status::SyncHeader>
                        <NetworkStatus />
                    </crate::sync::status::SyncHeader>
                </Show>
                {known
                            .clone()
                            .map(|p| {
                                view! {
                                    <A href="/account" attr:class="account-link icon-button" attr:id="account-link">
                                        <span class="sr-only">{t!(i18n, account.title)} ": "</span>
                                        <svg
                                            class="account-icon"
                                            aria-hidden="true"
                                            viewBox="0 0 24 24"
                                            width="26"
                                            height="26"
                                        >
                                            <circle cx="12" cy="8" r="4.5" fill="currentColor" />
                                            <path d="M3 22c0-5 4-8 9-8s9 3 9 8z" fill="currentColor" />
                                        </svg>
                                        // Below tablet width the name is for screen readers only:
                                        // the header keeps to one line.
                                        <span class="account-name">{p.display_name}</span>
                                    </A>
                                }
                            })}
                <button
                    type="button"
                    class="menu-toggle icon-button"
                    aria-controls="main-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    <span aria-hidden="true" class="menu-icon">
                        "☰"
                    </span>
                    <span class="menu-text">{t!(i18n, menu)}</span>
                </button>
            </header>
            <Show when=move || on_device.get()>
                <crate::sync::status::SyncNotices />
            </Show>
            <nav
                id="main-nav"
                class="main-nav"
                class:open=move || menu_open.get()
                aria-label=move || t_string!(i18n, main_navigation)
            >
                <ul>
                    <li>
                        <A href="/" exact=true>
                            {t!(i18n, nav.home)}
                        </A>
                    </li>
                    {
                            let role = known.as_ref().map(|p| p.role);
                            let may_list = move |kind| {
                                role.is_some_and(|role| grant(role, kind, Action::List) != Grant::No)
                            };
                            view! {
                                {Area::ALL
                                    .iter()
                                    .filter(|area| may_list(area.kind()))
                                    .map(|&area| {
                                        view! {
                                            <li>
                                                <A href=area.path()>{move || area.title(i18n)}</A>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                                <Show when=move || may_list(RecordKind::AuditEvent)>
                                    <li>
                                        <A href="/audit">{t!(i18n, nav.audit)}</A>
                                    </li>
                                </Show>
                                <Show when=move || may_list(RecordKind::Account)>
                                    <li>
                                        <A href="/admin/accounts">{t!(i18n, nav.accounts)}</A>
                                    </li>
                                </Show>
                                // Places are read by all; the page is for those who change them.
                                <Show when=move || {
                                    role.is_some_and(|role| {
                                        grant(role, RecordKind::Village, Action::Update) != Grant::No
                                    })
                                }>
                                    <li>
                                        <A href="/admin/places">{t!(i18n, places_admin.nav)}</A>
                                    </li>
                                </Show>
                                <Show when=move || role.is_none()>
                                    <li>
                                        <a href="/sign-in">{t!(i18n, sign_in.title)}</a>
                                    </li>
                                </Show>
                            }
                    }
                </ul>
                // What is set rather than visited: in the menu, off the first screen.
                <div class="nav-tools">
                    {known.is_some().then(|| view! { <VillagePicker /> })}
                    <LanguageSwitch />
                </div>
            </nav>
            <main id="main" tabindex="-1">
                {children()}
            </main>
            <footer class="footer">
                <p>{t!(i18n, app_tagline)}</p>
            </footer>
        </div>
    }
}

/// The server's profile wins over the one kept on the device: a council member the admin
/// links to his account later sees his tasks from the next online page load, not only after
/// signing in again.
fn keep_fresh_profile(fresh: Option<&crate::accounts::Profile>) {
    #[cfg(feature = "hydrate")]
    if let (Some(fresh), Some(kept)) = (fresh, crate::accounts::device::remembered_profile()) {
        if kept.account_id == fresh.account_id && kept != *fresh {
            crate::accounts::device::remember_profile(fresh);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = fresh;
}
