//! Report tables as files (server only): CSV in UTF-8 with a byte order mark, so Excel opens
//! Cyrillic and Kazakh letters intact, and XLSX written by rust_xlsxwriter. Headers and file
//! names are in the reader's language; the figures are the ones the page shows.
use super::types::{Kind, Overview, Trend};
use crate::i18n::*;
use crate::offences::{category_code_label, kind_code_label};

/// One cell: text or a number (so a spreadsheet can sum it).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn count(value: u64) -> Cell {
        Cell::Number(value as f64)
    }

    fn maybe(value: Option<f64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Number)
    }

    /// Rounded to one decimal, as the page shows it.
    fn decimal(value: Option<f64>) -> Cell {
        Cell::maybe(value.map(|v| (v * 10.0).round() / 10.0))
    }
}

/// A report table: its sheet name, headers and rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The file's name without the date and extension, in the reader's language.
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

pub fn overview_table(overview: &Overview, locale: Locale) -> Table {
    let headers = [
        td_string!(locale, reports.col_village),
        td_string!(locale, reports.col_district),
        td_string!(locale, membership.joined_on),
        td_string!(locale, reports.col_population),
        td_string!(locale, reports.col_offences),
        td_string!(locale, reports.col_repeats),
        td_string!(locale, reports.axis_rate),
        td_string!(locale, reports.export_lower),
        td_string!(locale, reports.export_upper),
        td_string!(locale, reports.col_before),
        td_string!(locale, reports.export_change),
        td_string!(locale, reports.col_days_since),
        td_string!(locale, reports.col_completeness),
        td_string!(locale, reports.export_due),
    ];
    let rows = overview
        .rows
        .iter()
        .map(|row| {
            vec![
                Cell::Text(row.village.pick(locale).to_owned()),
                Cell::Text(row.district.pick(locale).to_owned()),
                row.joined_on.clone().map_or(Cell::Empty, Cell::Text),
                Cell::maybe(row.population.map(|p| p as f64)),
                Cell::count(row.offences),
                Cell::count(row.repeats),
                Cell::decimal(row.rate.map(|r| r.per_1000)),
                Cell::decimal(row.rate.map(|r| r.lower)),
                Cell::decimal(row.rate.map(|r| r.upper)),
                Cell::maybe(row.before.map(|b| b as f64)),
                Cell::decimal(row.change),
                Cell::maybe(row.days_since_last.map(|d| d as f64)),
                Cell::count(u64::from(row.completeness.reported)),
                Cell::count(u64::from(row.completeness.expected)),
            ]
        })
        .collect();
    Table {
        name: td_string!(locale, reports.file_overview).to_owned(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// A row per category and kind that had offences: the 12 months' sum, then month by month.
pub fn themes_table(overview: &Overview, locale: Locale) -> Table {
    let mut headers = vec![
        td_string!(locale, reports.col_category).to_owned(),
        td_string!(locale, reports.col_kind).to_owned(),
        td_string!(locale, reports.col_twelve_months).to_owned(),
    ];
    headers.extend(overview.months());
    let mut rows = Vec::new();
    for row in &overview.themes {
        for kind in Kind::BOTH {
            let total = row.total().of(kind);
            if total == 0 {
                continue;
            }
            let mut cells = vec![
                Cell::Text(category_code_label(locale, &row.category)),
                Cell::Text(kind_code_label(locale, kind.code())),
                Cell::count(total),
            ];
            cells.extend(row.months.iter().map(|month| Cell::count(month.of(kind))));
            rows.push(cells);
        }
    }
    Table {
        name: td_string!(locale, reports.file_themes).to_owned(),
        headers,
        rows,
    }
}

pub fn trend_table(trend: &Trend, locale: Locale) -> Table {
    let yes = td_string!(locale, reports.reported);
    let no = td_string!(locale, reports.not_reported);
    Table {
        name: format!(
            "{}-{}",
            td_string!(locale, reports.file_trend),
            trend.village.pick(locale)
        ),
        headers: vec![
            td_string!(locale, reports.col_month).to_owned(),
            td_string!(locale, reports.col_offences).to_owned(),
            td_string!(locale, reports.col_repeats).to_owned(),
            td_string!(locale, reports.col_year_before).to_owned(),
            td_string!(locale, reports.col_reported).to_owned(),
        ],
        rows: trend
            .months
            .iter()
            .map(|month| {
                vec![
                    Cell::Text(month.month.clone()),
                    Cell::count(month.offences),
                    Cell::count(month.repeats),
                    Cell::maybe(month.year_before.map(|n| n as f64)),
                    Cell::Text(if month.reported { yes } else { no }.to_owned()),
                ]
            })
            .collect(),
    }
}

pub fn council_table(trend: &Trend, locale: Locale) -> Table {
    Table {
        name: format!(
            "{}-{}",
            td_string!(locale, reports.file_council),
            trend.village.pick(locale)
        ),
        headers: [
            td_string!(locale, reports.col_month),
            td_string!(locale, reports.col_tasks_done),
            td_string!(locale, reports.col_tasks_overdue),
            td_string!(locale, reports.col_proposals),
            td_string!(locale, reports.col_proposals_taken_up),
            td_string!(locale, reports.col_events),
            td_string!(locale, reports.col_attendance),
            td_string!(locale, reports.col_visits),
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: trend
            .council
            .iter()
            .map(|m| {
                vec![
                    Cell::Text(m.month.clone()),
                    Cell::count(m.tasks_done),
                    Cell::count(m.tasks_overdue),
                    Cell::count(m.proposals),
                    Cell::count(m.proposals_taken_up),
                    Cell::count(m.events),
                    Cell::count(m.attendance),
                    Cell::count(m.visits),
                ]
            })
            .collect(),
    }
}

/// UTF-8 with a byte order mark: without it Excel reads the file in the system's code page
/// and the Cyrillic and Kazakh letters come out garbled.
pub fn to_csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&table.headers)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => text.clone(),
            Cell::Number(value) => crate::reports::chart::label(*value),
            Cell::Empty => String::new(),
        }))?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // A sheet's name is at most 31 characters and may not hold some punctuation.
    let sheet_name: String = table
        .name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(sheet_name)?;
    let bold = Format::new().set_bold();
    for (column, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, header, &bold)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let line = index as u32 + 1;
        for (column, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(line, column as u16, text)?;
                }
                Cell::Number(value) => {
                    sheet.write_number(line, column as u16, *value)?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}

/// A download's file name: the table's name in the reader's language and the day, made safe
/// for every system's file names.
pub fn file_name(table: &Table, today: &str, extension: &str) -> String {
    let name: String = table
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{name}-{today}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "обзор-сел".into(),
            headers: vec!["Село".into(), "Правонарушения".into()],
            rows: vec![
                vec![Cell::Text("Қоғам, \"Ақсу\"".into()), Cell::Number(3.0)],
                vec![Cell::Text("Сепе".into()), Cell::Empty],
            ],
        }
    }

    #[test]
    fn csv_starts_with_the_byte_order_mark_and_quotes_what_needs_it() {
        let bytes = to_csv(&table()).unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "Село,Правонарушения\n\"Қоғам, \"\"Ақсу\"\"\",3\nСепе,\n"
        );
    }

    #[test]
    fn xlsx_reads_back_with_its_letters_and_numbers() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = to_xlsx(&table()).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("обзор-сел").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("Село".into())));
        assert_eq!(
            range.get((1, 0)),
            Some(&Data::String("Қоғам, \"Ақсу\"".into()))
        );
        assert_eq!(range.get((1, 1)), Some(&Data::Float(3.0)));
    }

    #[test]
    fn file_names_keep_letters_and_lose_separators() {
        let mut named = table();
        named.name = "по-месяцам-Сейфуллина / Сейфуллино".into();
        assert_eq!(
            file_name(&named, "2026-11-30", "csv"),
            "по-месяцам-Сейфуллина---Сейфуллино-2026-11-30.csv"
        );
    }
}
