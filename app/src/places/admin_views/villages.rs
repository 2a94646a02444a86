//! The village half of the admin's places page: the form that adds and corrects a village,
//! and the villages grouped by district, each with its "correct" button.
use super::parts::{bad_field, focus, NameField, Outcome, OutcomeNotice};
use crate::errors::AppError;
use crate::i18n::*;
use crate::places::admin::{save_village, tidy, village_for_edit, DistrictEntry, VillageForm};
use crate::places::VillageSummary;
use crate::ui::{current_position, I18nContext};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;

/// The village form's state, shared by the list's "correct" buttons.
#[derive(Clone, Copy)]
pub(super) struct VillageFields {
    id: RwSignal<String>,
    district_id: RwSignal<String>,
    name_ru: RwSignal<String>,
    name_kk: RwSignal<String>,
    okrug: RwSignal<String>,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    approximate: RwSignal<bool>,
    outcome: RwSignal<Option<Outcome>>,
    first: NodeRef<html::Input>,
}

impl Default for VillageFields {
    fn default() -> Self {
        let text = || RwSignal::new(String::new());
        Self {
            id: text(),
            district_id: text(),
            name_ru: text(),
            name_kk: text(),
            okrug: text(),
            lat: text(),
            lon: text(),
            approximate: RwSignal::new(false),
            outcome: RwSignal::new(None),
            first: NodeRef::new(),
        }
    }
}

impl VillageFields {
    fn fill(self, form: VillageForm, approximate: bool) {
        self.id.set(form.id);
        self.district_id.set(form.district_id);
        self.name_ru.set(form.name_ru);
        self.name_kk.set(form.name_kk);
        self.okrug.set(form.rural_okrug);
        self.lat.set(form.lat);
        self.lon.set(form.lon);
        self.approximate.set(approximate);
    }

    fn form(self) -> VillageForm {
        VillageForm {
            id: self.id.get_untracked(),
            district_id: self.district_id.get_untracked(),
            name_ru: self.name_ru.get_untracked(),
            name_kk: self.name_kk.get_untracked(),
            rural_okrug: self.okrug.get_untracked(),
            lat: self.lat.get_untracked(),
            lon: self.lon.get_untracked(),
        }
    }
}

#[component]
pub(super) fn VillageList(
    groups: Vec<DistrictEntry>,
    list: Vec<VillageSummary>,
    fields: VillageFields,
) -> impl IntoView {
    let i18n = use_i18n();
    let edit = move |id: String| {
        leptos::task::spawn_local(async move {
            fields.outcome.set(match village_for_edit(id).await {
                Ok(found) => {
                    fields.fill(found.form, found.position_approximate);
                    focus(fields.first);
                    None
                }
                Err(error) => Some(Outcome::Failed(error)),
            });
        });
    };
    groups
        .into_iter()
        .map(|district| {
            let heading = format!("villages-of-{}", district.id);
            let mine: Vec<VillageSummary> = list
                .iter()
                .filter(|v| v.district_id == district.id)
                .cloned()
                .collect();
            let empty = mine.is_empty();
            view! {
                <h3 id=heading.clone()>{district.name.ru.clone()}</h3>
                <Show when=move || empty>
                    <p class="hint">{t!(i18n, places_admin.no_villages)}</p>
                </Show>
                <ul class="cards villages" aria-labelledby=heading data-district=district.id.clone()>
                    {mine
                        .into_iter()
                        .map(|v| {
                            let id = v.id.clone();
                            let name = v.name.clone();
                            // Each button's purpose names its village for screen readers.
                            let name_id = format!("village-name-{}", v.id);
                            view! {
                                <li class="card" data-village=v.id.clone()>
                                    <strong id=name_id.clone()>{move || name.pick(i18n.get_locale()).to_owned()}</strong>
                                    {v.name.kk.is_none().then(|| view! {
                                        " · " <span class="muted">{t!(i18n, places_admin.no_kk)}</span>
                                    })}
                                    " "
                                    <button
                                        type="button"
                                        class="edit-village"
                                        id=format!("edit-village-{}", v.id)
                                        aria-describedby=name_id.clone()
                                        on:click=move |_| edit(id.clone())
                                    >
                                        {t!(i18n, places_admin.edit)}
                                    </button>
                                    " "
                                    <a class="button" href=format!("/villages/{}/map", v.id) aria-describedby=name_id>
                                        {t!(i18n, places_admin.on_map)}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
        .collect_view()
}

#[component]
pub(super) fn VillageFormView(
    fields: VillageFields,
    districts: RwSignal<Option<Result<Vec<DistrictEntry>, AppError>>>,
    after_save: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let saving = RwSignal::new(false);
    let locating = RwSignal::new(false);
    let gps_failed = RwSignal::new(false);
    let start_new = move |_| {
        fields.fill(VillageForm::default(), false);
        fields.outcome.set(None);
        focus(fields.first);
    };
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let form = fields.form();
        saving.set(true);
        leptos::task::spawn_local(async move {
            let result = save_village(form.clone()).await;
            saving.set(false);
            fields.outcome.set(Some(match result {
                Ok(_) => {
                    fields.fill(VillageForm::default(), false);
                    after_save();
                    let name = tidy(&form.name_ru);
                    Outcome::Saved(name, form.name_kk.trim().is_empty())
                }
                Err(error) => Outcome::Failed(error),
            }));
        });
    };
    let take_gps = move |_| {
        locating.set(true);
        gps_failed.set(false);
        current_position(move |point| {
            locating.set(false);
            match point {
                Some((lat, lon)) => {
                    fields.lat.set(format!("{lat:.6}"));
                    fields.lon.set(format!("{lon:.6}"));
                }
                None => gps_failed.set(true),
            }
        });
    };
    let editing = move || !fields.id.get().is_empty();
    let invalid =
        move |field: &'static str| move || (bad_field(&fields.outcome.get()) == field).to_string();
    let saved: fn(I18nContext, &str) -> String = |i18n, name| {
        td_string!(i18n.get_locale(), places_admin.village_saved, name = name).to_string()
    };
    let label =
        |text: fn(I18nContext) -> &'static str| Signal::derive(move || text(i18n).to_owned());
    view! {
        <p>
            <button type="button" id="new-village" on:click=start_new>
                {t!(i18n, places_admin.new_village)}
            </button>
        </p>
        <form class="form" id="village-form" novalidate on:submit=submit>
            <h3>
                {move || if editing() {
                    t_string!(i18n, places_admin.village_edit)
                } else {
                    t_string!(i18n, places_admin.village_new)
                }}
            </h3>
            {move || {
                    let options = districts
                        .get()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|d| {
                            let id = d.id.clone();
                            let chosen = move || fields.district_id.get() == id;
                            view! {
                                <option value=d.id.clone() selected=chosen.clone() prop:selected=chosen>
                                    {d.name.ru.clone()}
                                </option>
                            }
                        })
                        .collect_view();
                    let none = move || fields.district_id.get().is_empty();
                    view! {
                        <label for="village_district">{t!(i18n, village.district)}</label>
                        <select
                            id="village_district"
                            required
                            aria-invalid=invalid("village_district")
                            on:change=move |ev| fields.district_id.set(event_target_value(&ev))
                        >
                            <option value="" selected=none prop:selected=none>
                                {t!(i18n, places_admin.choose_district)}
                            </option>
                            {options}
                        </select>
                    }
            }}
            <NameField
                id="village_name_ru"
                label=label(|i18n| t_string!(i18n, places_admin.name_ru))
                value=fields.name_ru
                outcome=fields.outcome
                required=true
                node=fields.first
            />
            <NameField
                id="village_name_kk"
                label=label(|i18n| t_string!(i18n, places_admin.name_kk))
                value=fields.name_kk
                outcome=fields.outcome
                hint=label(|i18n| t_string!(i18n, places_admin.name_kk_hint))
            />
            <NameField
                id="village_okrug"
                label=label(|i18n| t_string!(i18n, village.rural_okrug))
                value=fields.okrug
                outcome=fields.outcome
            />
            <fieldset class="checks">
                <legend>{t!(i18n, places_admin.position)}</legend>
                <p class="hint" id="village-position-hint">{t!(i18n, places_admin.position_hint)}</p>
                <Show when=move || fields.approximate.get()>
                    <p class="hint" id="village-approximate">{t!(i18n, places_admin.approximate)}</p>
                </Show>
                <label for="village_lat">{t!(i18n, places_admin.lat)}</label>
                <input
                    id="village_lat"
                    type="number"
                    step="any"
                    inputmode="decimal"
                    aria-describedby="village-position-hint"
                    aria-invalid=invalid("lat")
                    bind:value=fields.lat
                />
                <label for="village_lon">{t!(i18n, places_admin.lon)}</label>
                <input
                    id="village_lon"
                    type="number"
                    step="any"
                    inputmode="decimal"
                    aria-describedby="village-position-hint"
                    aria-invalid=invalid("lon")
                    bind:value=fields.lon
                />
                <p class="buttons">
                    <button type="button" id="village-gps" class="secondary" on:click=take_gps disabled=move || locating.get()>
                        {t!(i18n, places_admin.use_gps)}
                    </button>
                    " "
                    <Show when=editing>
                        <a class="button" id="village-map-link" href=move || format!("/villages/{}/map", fields.id.get())>
                            {t!(i18n, places_admin.on_map)}
                        </a>
                    </Show>
                </p>
                <Show when=move || gps_failed.get()>
                    <p class="notice" role="status">{t!(i18n, map.position_failed)}</p>
                </Show>
            </fieldset>
            <p class="buttons">
                <button type="submit" class="primary" id="save-village" disabled=move || saving.get()>
                    {t!(i18n, places_admin.save_village)}
                </button>
            </p>
            <OutcomeNotice outcome=fields.outcome saved />
        </form>
    }
}
