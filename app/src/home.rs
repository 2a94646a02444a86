//! The home page (issue 19): for a signed-in person, the work of their role read from this
//! device (so it shows offline), then the program's villages; for a visitor, the villages.
mod council;
mod inspector;
mod oversight;
mod work;

use crate::access::Role;
use crate::accounts::{KnownProfile, Profile};
use crate::i18n::*;
use crate::places::ProgramVillages;
use crate::stored::StoredEnum;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    // Who is signed in as the server rendered the first page (the layout's): the same sections
    // hydrate on both sides; their content is read from the device afterwards. A device that
    // signed in after that page (the sign-in and PIN pages lead here in the browser) knows its
    // profile itself; it is read once the page runs, so hydration is not upset.
    let known = use_context::<KnownProfile>().and_then(|known| known.0);
    let on_device = RwSignal::new(None::<Profile>);
    if known.is_none() {
        Effect::new(move |_| on_device.set(crate::accounts::device::remembered_profile()));
    }
    move || match known.clone().or_else(|| on_device.get()) {
        Some(profile) => view! { <RoleHome profile /> }.into_any(),
        None => view! { <crate::places::HomePage /> }.into_any(),
    }
}

#[component]
fn RoleHome(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let work = match profile.role {
        Role::Inspector => view! { <inspector::InspectorWork /> }.into_any(),
        Role::CouncilMember => {
            view! { <council::MemberWork member_id=profile.member_id.clone() /> }.into_any()
        }
        Role::CouncilChair | Role::Akimat => view! { <council::CouncilWork /> }.into_any(),
        Role::DistrictSupervisor | Role::RegionCoordinator | Role::Admin => {
            view! { <oversight::OversightWork /> }.into_any()
        }
    };
    view! {
        <h1 id="home-title">{t!(i18n, work.title)}</h1>
        <div class="work" id="work" data-role=profile.role.as_str()>
            {work}
        </div>
        <p>
            <a class="button" href="#villages">{t!(i18n, work.to_villages)}</a>
        </p>
        <section aria-labelledby="villages-title" id="villages">
            <h2 id="villages-title">{t!(i18n, home.title)}</h2>
            <ProgramVillages />
        </section>
    }
}
