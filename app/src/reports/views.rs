//! The reports' pages: the overview of the villages in reach (with the funnel plot, the
//! program's effect and offences by theme) and one village's trend. Filters and sorting are
//! query parameters of a plain GET form, so the page works, and prints, before the wasm runs.
mod bulletin;
mod charts;
mod closing;
mod format;
mod membership;
mod tables;

pub use bulletin::BulletinPage;
pub use closing::ClosingPage;
pub use membership::MembershipPage;

use super::api::{get_overview, get_trend};
use super::types::{Overview, OverviewRow, Trend};
use crate::i18n::*;
use format::name;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The overview's sort orders, by the `sort` query parameter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Village,
    Rate,
    Offences,
    Change,
    DaysSince,
    Completeness,
}

impl SortBy {
    const ALL: [SortBy; 6] = [
        Self::Village,
        Self::Rate,
        Self::Offences,
        Self::Change,
        Self::DaysSince,
        Self::Completeness,
    ];

    fn code(self) -> &'static str {
        match self {
            Self::Village => "village",
            Self::Rate => "rate",
            Self::Offences => "offences",
            Self::Change => "change",
            Self::DaysSince => "days",
            Self::Completeness => "completeness",
        }
    }

    fn parse(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|sort| sort.code() == code)
            .unwrap_or(Self::Village)
    }

    fn label(self, i18n: I18nContext<Locale>) -> &'static str {
        match self {
            Self::Village => t_string!(i18n, reports.col_village),
            Self::Rate => t_string!(i18n, reports.col_rate),
            Self::Offences => t_string!(i18n, reports.col_offences),
            Self::Change => t_string!(i18n, reports.col_change),
            Self::DaysSince => t_string!(i18n, reports.col_days_since),
            Self::Completeness => t_string!(i18n, reports.col_completeness),
        }
    }

    /// Highest first for the figures (the villages to look at come first), by name otherwise.
    fn sort(self, rows: &mut [OverviewRow], locale: Locale) {
        let figure = |value: Option<f64>| value.unwrap_or(f64::NEG_INFINITY);
        match self {
            Self::Village => rows.sort_by(|a, b| {
                (a.district.pick(locale), a.village.pick(locale))
                    .cmp(&(b.district.pick(locale), b.village.pick(locale)))
            }),
            Self::Rate => rows.sort_by(|a, b| {
                figure(b.rate.map(|r| r.per_1000)).total_cmp(&figure(a.rate.map(|r| r.per_1000)))
            }),
            Self::Offences => rows.sort_by_key(|row| std::cmp::Reverse(row.offences)),
            Self::Change => rows.sort_by(|a, b| figure(b.change).total_cmp(&figure(a.change))),
            Self::DaysSince => rows.sort_by_key(|row| row.days_since_last.unwrap_or(i64::MAX)),
            Self::Completeness => rows.sort_by(|a, b| {
                figure(a.completeness.percent()).total_cmp(&figure(b.completeness.percent()))
            }),
        }
    }
}

/// Where the export of a report table is downloaded, with the page's filters.
fn export_href(table: &str, format: &str, district: &str, locale: Locale) -> String {
    let mut href = format!("/api/v1/reports/{table}.{format}?lang={locale}");
    if !district.is_empty() {
        href.push_str(&format!("&district={district}"));
    }
    href
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let district = move || query.read().get("district").unwrap_or_default();
    let overview = Resource::new(district, |district| async move {
        let key = format!("overview:{district}");
        let fetched = get_overview((!district.is_empty()).then_some(district)).await;
        super::kept::or_kept(&key, fetched).map(|shown| (key, shown))
    });
    view! {
        <h1 id="reports-title">{t!(i18n, reports.title)}</h1>
        <p class="lead">{t!(i18n, reports.lead)}</p>
        <ReportLinks />
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok((key, shown)) => {
                        view! {
                            <OverviewView overview=shown.report from_device=shown.from_device key />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <crate::ui::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The pages beside the reports that only some roles use: membership (admin, coordinator) and
/// the monthly closing (whoever records offences).
#[component]
fn ReportLinks() -> impl IntoView {
    use crate::access::{Action, RecordKind, Role};
    let i18n = use_i18n();
    let role = crate::ui::use_role();
    let keeps = move || matches!(role.get(), Some(Role::Admin | Role::RegionCoordinator));
    let closes = move || crate::ui::role_may(role, RecordKind::Offence, Action::Create);
    view! {
        <p class="report-links">
            <Show when=keeps>
                <a class="button" id="membership-link" href="/reports/program">
                    {t!(i18n, membership.title)}
                </a>
                " "
            </Show>
            <Show when=closes>
                <a class="button" id="closing-link" href="/reports/months">
                    {t!(i18n, closing.title)}
                </a>
            </Show>
        </p>
    }
}

/// Said above a report read from this device's copy.
#[component]
pub(super) fn FromDevice(from_device: bool) -> impl IntoView {
    let i18n = use_i18n();
    from_device.then(|| {
        view! { <p class="notice" id="report-offline" role="status">{t!(i18n, reports.offline_copy)}</p> }
    })
}

#[component]
fn OverviewView(overview: Overview, from_device: bool, key: String) -> impl IntoView {
    let i18n = use_i18n();
    if !from_device {
        let kept = overview.clone();
        Effect::new(move |_| super::kept::keep(&key, &kept));
    }
    let query = use_query_map();
    let sort = SortBy::parse(&query.read_untracked().get("sort").unwrap_or_default());
    let district = overview.district.clone().unwrap_or_default();
    let mut rows = overview.rows.clone();
    sort.sort(&mut rows, i18n.get_locale_untracked());
    let districts = overview.districts.clone();
    let chosen = district.clone();
    let period = format!(
        "{} – {}",
        format::month_label(&overview.first_month),
        format::month_label(&overview.last_month)
    );
    let computed_at = overview.computed_at.clone();
    let exports = {
        let district = district.clone();
        move || {
            let locale = i18n.get_locale();
            (
                export_href("overview", "csv", &district, locale),
                export_href("overview", "xlsx", &district, locale),
                export_href("themes", "csv", &district, locale),
                export_href("themes", "xlsx", &district, locale),
            )
        }
    };
    let exports_themes = exports.clone();
    let bulletin = if district.is_empty() {
        "/reports/bulletin".to_owned()
    } else {
        format!("/reports/bulletin?district={district}")
    };
    view! {
        <form class="filters" method="get" action="/reports" id="report-filters">
            <label for="report-district">{t!(i18n, reports.district)}</label>
            <select id="report-district" name="district">
                <option value="" selected=chosen.is_empty()>{t!(i18n, reports.all_districts)}</option>
                {districts
                    .into_iter()
                    .map(|(id, district_name)| {
                        let selected = id == chosen;
                        view! {
                            <option value=id selected=selected>{name(i18n, &district_name)}</option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="report-sort">{t!(i18n, reports.sort)}</label>
            <select id="report-sort" name="sort">
                {SortBy::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option.code() selected=option == sort>
                                {move || option.label(i18n)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit">{t!(i18n, reports.show)}</button>
        </form>
        <FromDevice from_device />
        <p class="hint" id="report-computed">
            {t!(i18n, reports.period)} ": " {period.clone()} ". " {t!(i18n, reports.computed_at)} ": "
            <time datetime=computed_at.clone()>{format::moment_label(&computed_at)}</time>
        </p>
        <section aria-labelledby="overview-heading">
            <h2 id="overview-heading">{t!(i18n, reports.overview)}</h2>
            <p class="exports">
                {move || {
                    let (csv, xlsx, _, _) = exports();
                    view! {
                        <a class="button" id="overview-csv" href=csv download="">{t!(i18n, reports.download_csv)}</a>
                        " "
                        <a class="button" id="overview-xlsx" href=xlsx download="">{t!(i18n, reports.download_xlsx)}</a>
                        " "
                        <a class="button" id="bulletin-link" href=bulletin.clone()>{t!(i18n, bulletin.open)}</a>
                    }
                }}
            </p>
            <tables::OverviewTable rows=rows.clone() />
        </section>
        <section aria-labelledby="funnel-heading">
            <h2 id="funnel-heading">{t!(i18n, reports.funnel_title)}</h2>
            <charts::FunnelChart funnel=overview.funnel.clone() />
            <p class="hint">{t!(i18n, reports.funnel_hint)}</p>
        </section>
        <section aria-labelledby="effect-heading">
            <h2 id="effect-heading">{t!(i18n, reports.effect_title)}</h2>
            <tables::EffectView effect=overview.effect.clone() />
        </section>
        <section aria-labelledby="themes-heading">
            <h2 id="themes-heading">{t!(i18n, reports.themes_monthly_title)}</h2>
            <p class="exports">
                {move || {
                    let (_, _, csv, xlsx) = exports_themes();
                    view! {
                        <a class="button" id="themes-csv" href=csv download="">{t!(i18n, reports.download_csv)}</a>
                        " "
                        <a class="button" id="themes-xlsx" href=xlsx download="">{t!(i18n, reports.download_xlsx)}</a>
                    }
                }}
            </p>
            <tables::ThemesByMonthTable themes=overview.themes.clone() months=overview.months() />
            <p id="repeat-persons">
                {t!(i18n, reports.repeat_persons)} ": " <strong>{overview.repeat_persons}</strong>
            </p>
        </section>
    }
}

#[component]
pub fn TrendPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let trend = Resource::new(id, |id| async move {
        let key = format!("trend:{id}");
        super::kept::or_kept(&key, get_trend(id).await).map(|shown| (key, shown))
    });
    view! {
        <p><A href="/reports">{t!(i18n, reports.back)}</A></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match trend.await {
                    Ok((key, shown)) => {
                        view! { <TrendView trend=shown.report from_device=shown.from_device key /> }
                            .into_any()
                    }
                    Err(error) => view! { <crate::ui::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TrendView(trend: Trend, from_device: bool, key: String) -> impl IntoView {
    let i18n = use_i18n();
    if !from_device {
        let kept = trend.clone();
        Effect::new(move |_| super::kept::keep(&key, &kept));
    }
    let village = trend.village.clone();
    let id = trend.village_id.clone();
    let computed_at = trend.computed_at.clone();
    let table = |name: &str| format!("villages/{id}/{name}");
    let (trend_table, council_table) = (table("trend"), table("council"));
    let exports = move || {
        let locale = i18n.get_locale();
        (
            export_href(&trend_table, "csv", "", locale),
            export_href(&trend_table, "xlsx", "", locale),
        )
    };
    let council_exports = move || {
        let locale = i18n.get_locale();
        (
            export_href(&council_table, "csv", "", locale),
            export_href(&council_table, "xlsx", "", locale),
        )
    };
    view! {
        <h1 id="trend-title">{move || name(i18n, &village)}</h1>
        <FromDevice from_device />
        <p class="hint" id="report-computed">
            {t!(i18n, reports.computed_at)} ": "
            <time datetime=computed_at.clone()>{format::moment_label(&computed_at)}</time>
        </p>
        <charts::ControlChart trend=trend.clone() />
        <p class="exports">
            {move || {
                let (csv, xlsx) = exports();
                view! {
                    <a class="button" id="trend-csv" href=csv download="">{t!(i18n, reports.download_csv)}</a>
                    " "
                    <a class="button" id="trend-xlsx" href=xlsx download="">{t!(i18n, reports.download_xlsx)}</a>
                }
            }}
        </p>
        <tables::TrendTable months=trend.months.clone() />
        <section aria-labelledby="council-work-heading">
            <h2 id="council-work-heading">{t!(i18n, reports.council_title)}</h2>
            <p class="exports">
                {move || {
                    let (csv, xlsx) = council_exports();
                    view! {
                        <a class="button" id="council-csv" href=csv download="">{t!(i18n, reports.download_csv)}</a>
                        " "
                        <a class="button" id="council-xlsx" href=xlsx download="">{t!(i18n, reports.download_xlsx)}</a>
                    }
                }}
            </p>
            <tables::CouncilTable months=trend.council.clone() />
        </section>
    }
}
