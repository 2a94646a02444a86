//! Pages and components of the places area.
use super::api::get_village;
use super::types::{LocalizedName, ProgramStatus, VillageDetails, VillageSummary};
use super::village_results::VillageResultsSection;
use crate::councils::{council_page, member_role_label, CouncilMember};
use crate::dates::format_date;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};

/// The list of villages, loaded once per page and shared by the picker and the home page.
pub type VillagesResource = Resource<Result<Vec<VillageSummary>, crate::errors::AppError>>;

/// The translated label of a program status, with the joining date when it is known.
pub fn status_label(
    i18n: I18nContext<Locale>,
    status: ProgramStatus,
    joined_on: Option<&str>,
) -> String {
    match (status, joined_on) {
        (ProgramStatus::NotJoined, _) => t_string!(i18n, status.not_joined).to_string(),
        (ProgramStatus::Pilot, _) => t_string!(i18n, status.pilot).to_string(),
        (ProgramStatus::Joined, Some(date)) => {
            let date = format_date(i18n.get_locale(), date);
            t_string!(i18n, status.joined_on, date = date).to_string()
        }
        (ProgramStatus::Joined, None) => t_string!(i18n, status.joined).to_string(),
    }
}

fn localized(i18n: I18nContext<Locale>, name: LocalizedName) -> impl Fn() -> String {
    move || name.pick(i18n.get_locale()).to_owned()
}

/// Where a village's page lives; the one place that spells it (the route is `/villages/:id`).
const VILLAGE_PAGE_PREFIX: &str = "/villages/";

pub fn village_page(id: &str) -> String {
    format!("{VILLAGE_PAGE_PREFIX}{id}")
}

/// The village from the current address, when the page is a village page.
fn current_village_id() -> Memo<Option<String>> {
    let location = use_location();
    Memo::new(move |_| {
        location
            .pathname
            .get()
            .strip_prefix(VILLAGE_PAGE_PREFIX)
            .map(|id| id.trim_end_matches('/').to_owned())
    })
}

/// A select in the header that opens a village's page.
#[component]
pub fn VillagePicker() -> impl IntoView {
    let i18n = use_i18n();
    // Read in the browser (the header has no suspense boundary, which would break the pages'
    // own, see the layout): the server's list, or offline the villages kept on the device.
    let reference = crate::ui::use_reference();
    let fetched = RwSignal::new(Vec::<(String, LocalizedName)>::new());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(list) = super::api::list_villages().await {
                fetched.set(list.into_iter().map(|v| (v.id, v.name)).collect());
            }
        });
    });
    let villages = move || {
        let online = fetched.get();
        if online.is_empty() {
            let kept = reference.get().villages;
            kept.into_iter().map(|v| (v.id, v.name)).collect()
        } else {
            online
        }
    };
    let navigate = use_navigate();
    let selected = current_village_id();
    let on_change = move |ev| {
        let id = event_target_value(&ev);
        if !id.is_empty() {
            navigate(&village_page(&id), Default::default());
        }
    };
    view! {
        <div class="village-picker">
            <label for="village-picker">{t!(i18n, village_picker)}</label>
            <select id="village-picker" name="village" on:change=on_change>
                <option value="">{t!(i18n, village_picker_hint)}</option>
                {move || {
                    villages()
                        .into_iter()
                        .map(|(id, name)| {
                            let value = id.clone();
                            let is_selected =
                                move || selected.get().as_deref() == Some(id.as_str());
                            view! {
                                <option value=value selected=is_selected>
                                    {localized(i18n, name)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// Villages grouped by district, in the order the query gave them.
fn group_by_district(villages: Vec<VillageSummary>) -> Vec<(LocalizedName, Vec<VillageSummary>)> {
    let mut groups: Vec<(LocalizedName, Vec<VillageSummary>)> = Vec::new();
    for village in villages {
        match groups.last_mut() {
            Some((district, members)) if *district == village.district => members.push(village),
            _ => groups.push((village.district.clone(), vec![village])),
        }
    }
    groups
}

/// The program's villages by district: the home page of a visitor not signed in, and the
/// part below the work on a signed-in person's home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, home.title)}</h1>
        <ProgramVillages />
    }
}

#[component]
pub fn ProgramVillages() -> impl IntoView {
    let i18n = use_i18n();
    let villages = expect_context::<VillagesResource>();
    view! {
        <p class="lead">{t!(i18n, home.intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match villages.await {
                    Ok(list) => view! { <VillageList villages=list /> }.into_any(),
                    Err(_) => view! { <p role="alert">{t!(i18n, load_failed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VillageList(villages: Vec<VillageSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let count = villages.len();
    let groups = group_by_district(villages);
    view! {
        <p class="count">{t!(i18n, home.villages_count, count = count)}</p>
        {groups
            .into_iter()
            .map(|(district, villages)| {
                view! {
                    <section class="district">
                        <h2>{localized(i18n, district)}</h2>
                        <ul class="cards">
                            {villages
                                .into_iter()
                                .map(|village| view! { <VillageCard village /> })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
    }
}

#[component]
fn VillageCard(village: VillageSummary) -> impl IntoView {
    let i18n = use_i18n();
    let name = localized(i18n, village.name.clone());
    let status = village.status;
    view! {
        <li class="card">
            <A href=village_page(&village.id)>
                <span class="card-title">{name}</span>
                <span class=format!("badge status-{}", crate::stored::StoredEnum::as_str(status))>
                    {move || status_label(i18n, status, None)}
                </span>
            </A>
        </li>
    }
}

#[component]
pub fn VillagePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let village = Resource::new(id, get_village);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match village.await {
                    Ok(village) => view! { <VillageDetailsView village /> }.into_any(),
                    Err(crate::errors::AppError::NotFound) => {
                        view! { <VillageNotFound /> }.into_any()
                    }
                    Err(error) => view! { <crate::ui::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VillageNotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, village.not_found)}</h1>
        <p>{t!(i18n, village.not_found_hint)}</p>
        <p>
            <A href="/">{t!(i18n, village.back_to_list)}</A>
        </p>
    }
}

#[component]
fn VillageDetailsView(village: VillageDetails) -> impl IntoView {
    let i18n = use_i18n();
    let village_id = village.id.clone();
    let VillageDetails {
        name,
        district,
        rural_okrug,
        status,
        joined_on,
        lat,
        lon,
        position_approximate,
        has_council,
        council_members,
        ..
    } = village;
    let position = match (lat, lon) {
        (Some(lat), Some(lon)) => format!("{lat:.4}, {lon:.4}"),
        _ => "—".to_owned(),
    };
    let map_href = format!("/villages/{village_id}/map");
    let council_href = council_page(&village_id);
    view! {
        <h1 id="village-name">{localized(i18n, name)}</h1>
        <p><a class="button" id="village-map-link" href=map_href>{t!(i18n, map.title)}</a></p>
        <dl class="facts">
            <dt>{t!(i18n, village.district)}</dt>
            <dd id="village-district">{localized(i18n, district)}</dd>
            {rural_okrug
                .map(|okrug| {
                    view! {
                        <dt>{t!(i18n, village.rural_okrug)}</dt>
                        <dd>{okrug}</dd>
                    }
                })}
            <dt>{t!(i18n, village.program_status)}</dt>
            <dd id="village-status">
                <span class=format!("badge status-{}", crate::stored::StoredEnum::as_str(status))>
                    {move || status_label(i18n, status, joined_on.as_deref())}
                </span>
            </dd>
            <dt>{t!(i18n, village.position)}</dt>
            <dd>
                {position}
                <br />
                <small>
                    {move || {
                        if position_approximate {
                            t_string!(i18n, village.position_approximate)
                        } else {
                            t_string!(i18n, village.position_set)
                        }
                    }}
                </small>
            </dd>
        </dl>
        <section aria-labelledby="council-heading">
            <h2 id="council-heading">{t!(i18n, village.council_members)}</h2>
            {if !has_council {
                view! { <p>{t!(i18n, village.no_council)}</p> }.into_any()
            } else if council_members.is_empty() {
                view! { <p>{t!(i18n, village.no_members)}</p> }.into_any()
            } else {
                view! {
                    <ul class="members" id="council-members">
                        {council_members
                            .into_iter()
                            .map(|member| view! { <MemberItem member /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p>
                <a class="button" id="council-link" href=council_href>{t!(i18n, council.link)}</a>
            </p>
        </section>
        <VillageResultsSection id=village_id />
    }
}

#[component]
fn MemberItem(member: CouncilMember) -> impl IntoView {
    let i18n = use_i18n();
    let CouncilMember {
        full_name,
        role,
        phone,
        since,
        demo,
        ..
    } = member;
    // The label holds the visible number too (WCAG 2.5.3, label in name).
    let call_label = {
        let name = full_name.clone();
        let phone = phone.clone().unwrap_or_default();
        move || {
            t_string!(
                i18n,
                village.call,
                name = name.clone(),
                phone = phone.clone()
            )
            .to_string()
        }
    };
    view! {
        <li class="member">
            <span class="member-name">{full_name}</span>
            {demo.then(|| view! { <span class="badge demo">{t!(i18n, demo_badge)}</span> })}
            <span class="member-role">
                {move || member_role_label(i18n, crate::stored::StoredEnum::as_str(role))}
            </span>
            {since
                .map(|date| {
                    view! {
                        <span class="member-since">
                            {move || {
                                let date = format_date(i18n.get_locale(), &date);
                                t_string!(i18n, village.member_since, date = date).to_string()
                            }}
                        </span>
                    }
                })}
            {phone
                .map(|phone| {
                    view! {
                        <a class="button call" href=format!("tel:{}", phone.replace(' ', "")) aria-label=call_label>
                            {phone.clone()}
                        </a>
                    }
                })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village(id: &str, district: &str) -> VillageSummary {
        VillageSummary {
            id: id.into(),
            name: LocalizedName {
                ru: id.into(),
                kk: None,
            },
            district: LocalizedName {
                ru: district.into(),
                kk: None,
            },
            district_id: district.into(),
            status: ProgramStatus::Joined,
            centre: None,
        }
    }

    #[test]
    fn villages_are_grouped_by_consecutive_district() {
        let groups = group_by_district(vec![
            village("a", "Атбасарский"),
            village("b", "Атбасарский"),
            village("c", "Есильский"),
        ]);
        let shape: Vec<(String, usize)> = groups
            .iter()
            .map(|(d, v)| (d.ru.clone(), v.len()))
            .collect();
        assert_eq!(shape, [("Атбасарский".into(), 2), ("Есильский".into(), 1)]);
    }
}
