use super::language::LanguageSwitch;
use super::network::NetworkStatus;
use crate::areas::Area;
use crate::i18n::*;
use crate::places::{list_villages, VillagePicker, VillagesResource};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Header, section navigation and the page's main region.
///
/// On phones the navigation folds behind a menu button; from tablet width it stays open.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let villages: VillagesResource = Resource::new(|| (), |_| list_villages());
    provide_context(villages);

    let menu_open = RwSignal::new(false);
    let location = use_location();
    // Following a link closes the menu, so the chosen page is not hidden behind it.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    // Set only in the browser once the wasm runs: lets people and tests tell a live page
    // from server-rendered HTML.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <div class="app" data-hydrated=move || hydrated.get().to_string()>
            <a class="skip-link" href="#main">
                {t!(i18n, skip_to_content)}
            </a>
            <header class="topbar">
                <A href="/" attr:class="brand">
                    <img src="/icons/icon-192.png" alt="" width="36" height="36" />
                    <span>{t!(i18n, app_name)}</span>
                </A>
                <NetworkStatus />
                <button
                    type="button"
                    class="menu-toggle"
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
            <div class="toolbar">
                <VillagePicker />
                <LanguageSwitch />
            </div>
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
                    {Area::ALL
                        .iter()
                        .map(|&area| {
                            view! {
                                <li>
                                    <A href=area.path()>{move || area.title(i18n)}</A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
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
