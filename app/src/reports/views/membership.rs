//! The program membership page: every village with its status, dates and counts, each in a
//! form of its own (a plain form post, so it works before the wasm arrives).
use super::super::membership::{list_membership, Membership, SaveMembership};
use super::format::name;
use crate::i18n::*;
use crate::stored::StoredEnum;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn MembershipPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveMembership>::new();
    let villages = Resource::new(move || save.version().get(), |_| list_membership());
    view! {
        <h1 id="membership-title">{t!(i18n, membership.title)}</h1>
        <p class="lead">{t!(i18n, membership.lead)}</p>
        <p role="status" id="membership-outcome">
            {move || match save.value().get() {
                Some(Ok(())) => Some(view! { <span class="notice">{t!(i18n, membership.saved)}</span> }.into_any()),
                Some(Err(error)) => Some(view! { <crate::ui::ErrorNotice error /> }.into_any()),
                None => None,
            }}
        </p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match villages.await {
                    Ok(list) => {
                        view! {
                            <ul class="membership" id="membership-list">
                                {list
                                    .into_iter()
                                    .map(|village| view! { <MembershipItem village save /> })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <crate::ui::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MembershipItem(village: Membership, save: ServerAction<SaveMembership>) -> impl IntoView {
    let i18n = use_i18n();
    let id = village.village_id.clone();
    let data_village = id.clone();
    let hidden_id = id.clone();
    let field = move |name: &str| format!("{name}-{id}");
    let label = village.village.clone();
    let district = village.district.clone();
    let status = village.status;
    let joined_on = village.joined_on.clone();
    let text = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
    let (status_id, joined_id, left_id, population_id, households_id, source_id, year_id) = (
        field("status"),
        field("joined"),
        field("left"),
        field("population"),
        field("households"),
        field("source"),
        field("year"),
    );
    view! {
        <li data-village=data_village>
            <details>
                <summary>
                    <strong>{move || name(i18n, &label)}</strong>
                    ", " {move || name(i18n, &district)} " — "
                    {move || crate::places::status_label(i18n, status, joined_on.as_deref())}
                    {village.demo.then(|| view! { " " <span class="badge demo">{t!(i18n, membership.demo)}</span> })}
                </summary>
                <ActionForm action=save attr:class="form membership-form">
                    <input type="hidden" name="form[village_id]" value=hidden_id />
                    <label for=status_id.clone()>{t!(i18n, village.program_status)}</label>
                    <select id=status_id name="form[status]">
                        {crate::places::ProgramStatus::ALL
                            .iter()
                            .map(|&option| {
                                view! {
                                    <option value=option.as_str() selected=option == status>
                                        {move || crate::places::status_label(i18n, option, None)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <label for=joined_id.clone()>{t!(i18n, membership.joined_on)}</label>
                    <input id=joined_id type="date" name="form[joined_on]" value=village.joined_on.clone().unwrap_or_default() />
                    <label for=left_id.clone()>{t!(i18n, membership.left_on)}</label>
                    <input id=left_id type="date" name="form[left_on]" value=village.left_on.clone().unwrap_or_default() />
                    <label for=population_id.clone()>{t!(i18n, membership.population)}</label>
                    <input id=population_id inputmode="numeric" name="form[population]" value=text(village.population) />
                    <label for=households_id.clone()>{t!(i18n, membership.households)}</label>
                    <input id=households_id inputmode="numeric" name="form[households]" value=text(village.households) />
                    <label for=source_id.clone()>{t!(i18n, membership.source)}</label>
                    <input id=source_id name="form[source]" maxlength="200" value=village.source.clone().unwrap_or_default() />
                    <label for=year_id.clone()>{t!(i18n, membership.year)}</label>
                    <input id=year_id inputmode="numeric" name="form[year]" value=text(village.year) />
                    <button type="submit" class="primary">{t!(i18n, membership.save)}</button>
                </ActionForm>
            </details>
        </li>
    }
}
