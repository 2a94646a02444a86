//! The admin's page of districts and villages (`/admin/places`): add and rename districts,
//! add and correct villages, type a village's position or take it from GPS. A tap on the
//! village map sets it too (the map page's "put the village here" tool).
use super::admin::{list_districts, save_district, DistrictEntry, DistrictForm};
use super::{list_villages, VillagesResource};
use crate::errors::AppError;
use crate::i18n::*;
use crate::ui::ErrorNotice;
use crate::ui::I18nContext;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;

mod parts;
mod villages;
use parts::{focus, NameField, Outcome, OutcomeNotice};
use villages::{VillageFields, VillageFormView, VillageList};

#[component]
pub fn PlacesAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let changed = RwSignal::new(0u32);
    // Read in the browser once the page runs (and again after each save): the server renders
    // the page empty, like the offline lists, so hydration has nothing to disagree about.
    let districts = RwSignal::new(None::<Result<Vec<DistrictEntry>, AppError>>);
    let villages = RwSignal::new(None::<Result<Vec<super::VillageSummary>, AppError>>);
    Effect::new(move |_| {
        changed.track();
        leptos::task::spawn_local(async move {
            districts.set(Some(list_districts().await));
            villages.set(Some(list_villages().await));
        });
    });
    // The picker and the account form read the layout's list: it is read again too.
    let shell_villages = use_context::<VillagesResource>();
    let sync = crate::sync::state::use_sync();
    let after_save = move || {
        changed.update(|n| *n += 1);
        if let Some(list) = shell_villages {
            list.refetch();
        }
        // This device's reference list (village names, map centres) follows at once.
        sync.sync_now();
    };
    let district = DistrictFields::default();
    let village = VillageFields::default();
    view! {
        <section class="records places-admin">
            <h1>{t!(i18n, places_admin.title)}</h1>
            <p class="lead">{t!(i18n, places_admin.lead)}</p>
            <h2>{t!(i18n, places_admin.districts)}</h2>
            {move || match districts.get() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some(Ok(list)) => view! { <DistrictList list fields=district /> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
            }}
            <DistrictFormView fields=district after_save />
            <h2>{t!(i18n, places_admin.villages)}</h2>
            <VillageFormView fields=village districts after_save />
            {move || {
                let groups = districts.get().and_then(Result::ok).unwrap_or_default();
                match villages.get() {
                    None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                    Some(Ok(list)) => view! { <VillageList groups list fields=village /> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                }
            }}
        </section>
    }
}

/// The district form's state, shared by the list's "rename" buttons.
#[derive(Clone, Copy)]
struct DistrictFields {
    id: RwSignal<String>,
    name_ru: RwSignal<String>,
    name_kk: RwSignal<String>,
    outcome: RwSignal<Option<Outcome>>,
    first: NodeRef<html::Input>,
}

impl Default for DistrictFields {
    fn default() -> Self {
        Self {
            id: RwSignal::new(String::new()),
            name_ru: RwSignal::new(String::new()),
            name_kk: RwSignal::new(String::new()),
            outcome: RwSignal::new(None),
            first: NodeRef::new(),
        }
    }
}

impl DistrictFields {
    fn fill(self, id: &str, ru: &str, kk: &str) {
        self.id.set(id.to_owned());
        self.name_ru.set(ru.to_owned());
        self.name_kk.set(kk.to_owned());
    }
}

#[component]
fn DistrictList(list: Vec<DistrictEntry>, fields: DistrictFields) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="cards" id="districts">
            {list
                .into_iter()
                .map(|d| {
                    let (ru, kk) = (d.name.ru.clone(), d.name.kk.clone().unwrap_or_default());
                    let id = d.id.clone();
                    let rename = move |_| {
                        fields.outcome.set(None);
                        fields.fill(&id, &ru, &kk);
                        focus(fields.first);
                    };
                    view! {
                        <li class="card" data-district=d.id.clone()>
                            <strong id=format!("district-name-{}", d.id)>{d.name.ru.clone()}</strong>
                            " · "
                            {match d.name.kk.clone() {
                                Some(kk) => view! { <span lang="kk">{kk}</span> }.into_any(),
                                None => view! { <span class="muted">{t!(i18n, places_admin.no_kk)}</span> }.into_any(),
                            }}
                            " "
                            <button type="button" class="edit-district" id=format!("edit-district-{}", d.id) aria-describedby=format!("district-name-{}", d.id) on:click=rename>
                                {t!(i18n, places_admin.rename)}
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn DistrictFormView(
    fields: DistrictFields,
    after_save: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let saving = RwSignal::new(false);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let form = DistrictForm {
            id: fields.id.get_untracked(),
            name_ru: fields.name_ru.get_untracked(),
            name_kk: fields.name_kk.get_untracked(),
        };
        saving.set(true);
        leptos::task::spawn_local(async move {
            let result = save_district(form.clone()).await;
            saving.set(false);
            fields.outcome.set(Some(match result {
                Ok(_) => {
                    fields.fill("", "", "");
                    after_save();
                    let name = super::admin::tidy(&form.name_ru);
                    Outcome::Saved(name, form.name_kk.trim().is_empty())
                }
                Err(error) => Outcome::Failed(error),
            }));
        });
    };
    let editing = move || !fields.id.get().is_empty();
    let saved: fn(I18nContext, &str) -> String = |i18n, name| {
        td_string!(i18n.get_locale(), places_admin.district_saved, name = name).to_string()
    };
    view! {
        <form class="form" id="district-form" novalidate on:submit=submit>
            <h3>
                {move || if editing() {
                    t_string!(i18n, places_admin.district_rename)
                } else {
                    t_string!(i18n, places_admin.district_new)
                }}
            </h3>
            <NameField
                id="district_name_ru"
                label=Signal::derive(move || t_string!(i18n, places_admin.name_ru).to_owned())
                value=fields.name_ru
                outcome=fields.outcome
                required=true
                node=fields.first
            />
            <NameField
                id="district_name_kk"
                label=Signal::derive(move || t_string!(i18n, places_admin.name_kk).to_owned())
                value=fields.name_kk
                outcome=fields.outcome
                hint=Signal::derive(move || t_string!(i18n, places_admin.name_kk_hint).to_owned())
            />
            <p class="buttons">
                <button type="submit" class="primary" id="save-district" disabled=move || saving.get()>
                    {t!(i18n, places_admin.save_district)}
                </button>
                " "
                <Show when=editing>
                    <button
                        type="button"
                        class="secondary"
                        id="cancel-district"
                        on:click=move |_| {
                            fields.fill("", "", "");
                            fields.outcome.set(None);
                        }
                    >
                        {t!(i18n, places_admin.cancel)}
                    </button>
                </Show>
            </p>
            <OutcomeNotice outcome=fields.outcome saved />
        </form>
    }
}
