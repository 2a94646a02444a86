//! Reading the file (server only): a CSV or the first sheet of an XLSX becomes rows of cell
//! texts, numbered as the spreadsheet numbers them; then the header is found.
use super::{folded, FileProblem, Table, Written, MAX_FILE_BYTES, MAX_ROWS};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// Rows looked at for the header: a title line or two above it is common.
const HEADER_SEARCH: usize = 10;
/// Rows read at most (more are refused without reading on).
const MAX_READ_ROWS: usize = MAX_ROWS + HEADER_SEARCH;
/// Columns read from each row; a members list has a handful.
const MAX_COLUMNS: usize = 64;
/// The most an XLSX may unpack to. Its XML for 500 rows is far less; a small zip that
/// unpacks to gigabytes is refused before the spreadsheet reader holds it in memory.
const MAX_UNPACKED_BYTES: u64 = 16 * 1024 * 1024;

type Rows = Vec<(usize, Vec<String>)>;

/// The member rows of a file: XLSX (a zip) whatever its name, otherwise CSV text.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Table, FileProblem> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge {
            max_kb: MAX_FILE_BYTES / 1024,
        });
    }
    let name = file_name.trim().to_lowercase();
    let extension = name.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows(bytes).map_err(|problem| match (problem, extension) {
            // A Word file or a plain zip is a zip too.
            (FileProblem::Unreadable, ext) if !matches!(ext, "xlsx" | "xlsm") => {
                FileProblem::NotASpreadsheet
            }
            (problem, _) => problem,
        })?
    } else if matches!(extension, "csv" | "txt" | "tsv" | "") {
        csv_rows(&text(bytes)?)?
    } else {
        // An old .xls (or a protected .xlsx, which is one too), .ods, a PDF…
        return Err(FileProblem::NotASpreadsheet);
    };
    table_of(rows)
}

/// The text of a CSV: UTF-8 with or without its mark, or UTF-16 with its mark (Excel's
/// "Unicode text").
fn text(bytes: &[u8]) -> Result<String, FileProblem> {
    let utf16 = |rest: &[u8], word: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return Err(FileProblem::NotUtf8);
        }
        char::decode_utf16(rest.chunks_exact(2).map(|p| word([p[0], p[1]])))
            .collect::<Result<String, _>>()
            .map_err(|_| FileProblem::NotUtf8)
    };
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)?
    } else {
        let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        String::from_utf8(rest.to_vec()).map_err(|_| FileProblem::NotUtf8)?
    };
    if text.contains('\0') {
        return Err(FileProblem::NotASpreadsheet);
    }
    Ok(text)
}

/// The delimiter the header line uses the most: `;` from Excel in a Russian locale, `,`
/// elsewhere, a tab from "Unicode text". Over the first lines when the first names no column.
pub(super) fn delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    let most = |lines: &[&str]| {
        CANDIDATES
            .into_iter()
            .map(|d| {
                (
                    lines
                        .iter()
                        .map(|l| l.matches(d as char).count())
                        .sum::<usize>(),
                    d,
                )
            })
            .filter(|(count, _)| *count > 0)
            .max_by_key(|(count, _)| *count)
            .map(|(_, d)| d)
    };
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    lines
        .first()
        .and_then(|header| most(&[header]))
        .or_else(|| most(&lines))
        .unwrap_or(b',')
}

fn csv_rows(text: &str) -> Result<Rows, FileProblem> {
    // With Windows line ends the csv crate gives a record the line of the previous record's
    // `\r` as its start; plain `\n` keeps its line numbers the spreadsheet's rows.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut rows = Rows::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|_| FileProblem::Unreadable)?;
        // The line the record starts on is its row in a spreadsheet (blank lines count).
        let row = record.position().map_or(index + 1, |p| {
            usize::try_from(p.line()).unwrap_or(usize::MAX)
        });
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        keep(&mut rows, row, cells)?;
    }
    Ok(rows)
}

/// Adds a row unless it is empty; refuses a file with too many rows as soon as it shows.
fn keep(rows: &mut Rows, row: usize, mut cells: Vec<String>) -> Result<(), FileProblem> {
    cells.truncate(MAX_COLUMNS);
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Ok(());
    }
    if rows.len() >= MAX_READ_ROWS {
        return Err(FileProblem::TooManyRows { max: MAX_ROWS });
    }
    rows.push((row, cells));
    Ok(())
}

/// The first sheet's cells, read one by one: a sheet whose used range is huge (a stray cell
/// at XFD1048576) costs nothing more than its cells.
fn xlsx_rows(bytes: &[u8]) -> Result<Rows, FileProblem> {
    use calamine::{Reader, Xlsx};
    unpacks_within(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| FileProblem::Unreadable)?;
    let Some(first) = book.sheet_names().into_iter().next() else {
        return Err(FileProblem::NoRows);
    };
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| FileProblem::Unreadable)?;
    let mut grid = BTreeMap::<u32, Vec<String>>::new();
    while let Some(cell) = cells.next_cell().map_err(|_| FileProblem::Unreadable)? {
        let (row, column) = cell.get_position();
        let column = column as usize;
        let text = cell_text(cell.get_value());
        if column >= MAX_COLUMNS || text.trim().is_empty() {
            continue;
        }
        if !grid.contains_key(&row) && grid.len() >= MAX_READ_ROWS {
            return Err(FileProblem::TooManyRows { max: MAX_ROWS });
        }
        let line = grid.entry(row).or_default();
        if line.len() <= column {
            line.resize(column + 1, String::new());
        }
        line[column] = text;
    }
    // Rows are counted from 0 in the file, from 1 on the screen.
    Ok(grid
        .into_iter()
        .map(|(row, cells)| (row as usize + 1, cells))
        .collect())
}

/// Unpacks every part of the zip into nothing, stopping past the limit. The shared strings
/// are looked into as well: calamine reserves room for as many strings as their
/// `uniqueCount` says, so a made-up count of billions would take the server down.
fn unpacks_within(bytes: &[u8]) -> Result<(), FileProblem> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileProblem::Unreadable)?;
    let mut left = MAX_UNPACKED_BYTES;
    for index in 0..archive.len() {
        let part = archive
            .by_index(index)
            .map_err(|_| FileProblem::Unreadable)?;
        let name = part.name().map_err(|_| FileProblem::Unreadable)?;
        let strings = name.to_lowercase().ends_with("sharedstrings.xml");
        let mut limited = part.take(left + 1);
        let unpacked = if strings {
            let mut xml = Vec::new();
            let read = limited
                .read_to_end(&mut xml)
                .map_err(|_| FileProblem::Unreadable)?;
            if largest_count(&xml) > MAX_SHARED_STRINGS {
                return Err(FileProblem::Unreadable);
            }
            read as u64
        } else {
            std::io::copy(&mut limited, &mut std::io::sink())
                .map_err(|_| FileProblem::Unreadable)?
        };
        left = left.checked_sub(unpacked).ok_or(FileProblem::Unreadable)?;
    }
    Ok(())
}

/// More strings than this cannot fit in what a file may unpack to.
const MAX_SHARED_STRINGS: u128 = (MAX_UNPACKED_BYTES / 8) as u128;

/// The largest number written as a `uniqueCount` attribute anywhere in the XML.
pub(super) fn largest_count(xml: &[u8]) -> u128 {
    const NAME: &[u8] = b"uniqueCount";
    let mut largest = 0;
    let mut at = 0;
    while let Some(found) = xml[at..].windows(NAME.len()).position(|w| w == NAME) {
        at += found + NAME.len();
        let rest = xml[at..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || matches!(b, b'=' | b'"' | b'\''));
        let digits: Vec<u8> = rest.take_while(|b| b.is_ascii_digit()).copied().collect();
        let count = match std::str::from_utf8(&digits).map(str::parse::<u128>) {
            _ if digits.is_empty() => 0,
            Ok(Ok(n)) => n,
            // Forty digits and more: more than any limit.
            _ => u128::MAX,
        };
        largest = largest.max(count);
    }
    largest
}

/// A cell as text: a date cell as `YYYY-MM-DD`, a whole number (a phone typed as a number)
/// without a decimal point.
fn cell_text(value: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    let number = |n: f64| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        }
    };
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(n) => number(*n),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(when) if when.is_datetime() => {
            let (year, month, day, ..) = when.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        DataRef::DateTime(when) => number(when.as_f64()),
        DataRef::Error(error) => error.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// The columns the import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Name,
    Role,
    Phone,
    Since,
}

/// The column a heading names, in Russian, Kazakh or English.
pub(super) fn column_of(heading: &str) -> Option<Column> {
    const HEADINGS: &[(Column, &[&str])] = &[
        (
            Column::Name,
            &[
                "фио",
                "фамилияимяотчество",
                "полноеимя",
                "членсовета",
                "атыжөні",
                "атыжони",
                "толықатыжөні",
                "тегіатыәкесініңаты",
                "fullname",
                "name",
            ],
        ),
        (
            Column::Role,
            &[
                "роль",
                "рольвсовете",
                "рөлі",
                "рөл",
                "кеңестегірөлі",
                "role",
                "roleinthecouncil",
            ],
        ),
        (
            Column::Phone,
            &[
                "телефон",
                "тел",
                "номертелефона",
                "контактныйтелефон",
                "мобильныйтелефон",
                "телефоннөмірі",
                "байланыстелефоны",
                "ұялытелефон",
                "phone",
                "phonenumber",
                "telephone",
            ],
        ),
        (
            Column::Since,
            &[
                "с",
                "членсоветас",
                "всоставесоветас",
                "датавступления",
                "датавхождения",
                "кеңесмүшесіболғанкүннен",
                "кеңескекіргенкүні",
                "мүшеболғанкүні",
                "қашаннан",
                "since",
                "membersince",
                "joined",
            ],
        ),
    ];
    let word = folded(heading);
    HEADINGS
        .iter()
        .find(|(_, words)| words.contains(&word.as_str()))
        .map(|(column, _)| *column)
}

/// The header (the first of the first rows naming both the name and the role column) and
/// the member rows under it.
pub(super) fn table_of(rows: Rows) -> Result<Table, FileProblem> {
    let columns = |cells: &[String]| -> Vec<Option<Column>> {
        cells.iter().map(|cell| column_of(cell)).collect()
    };
    if rows.is_empty() {
        return Err(FileProblem::NoRows);
    }
    let found = rows.iter().take(HEADER_SEARCH).position(|(_, cells)| {
        let named = columns(cells);
        named.contains(&Some(Column::Name)) && named.contains(&Some(Column::Role))
    });
    let Some(header) = found else {
        // The row naming most columns is taken for the header that lacks the others.
        let mut best = Vec::new();
        for (_, cells) in rows.iter().take(HEADER_SEARCH) {
            let named = columns(cells);
            if named.iter().flatten().count() > best.iter().flatten().count() {
                best = named;
            }
        }
        let fields = [(Column::Name, "full_name"), (Column::Role, "role")]
            .into_iter()
            .filter(|(column, _)| !best.contains(&Some(*column)))
            .map(|(_, field)| field.to_owned())
            .collect();
        return Err(FileProblem::MissingColumns { fields });
    };
    let named = columns(&rows[header].1);
    let at = |column| named.iter().position(|c| *c == Some(column));
    let (name, role, phone, since) = (
        at(Column::Name),
        at(Column::Role),
        at(Column::Phone),
        at(Column::Since),
    );
    let members: Vec<(usize, Written)> = rows
        .into_iter()
        .skip(header + 1)
        .map(|(row, cells)| {
            let cell = |i: Option<usize>| {
                i.and_then(|i| cells.get(i))
                    .map(|c| c.trim().to_owned())
                    .unwrap_or_default()
            };
            let written = Written {
                full_name: cell(name),
                role: cell(role),
                phone: cell(phone),
                since: cell(since),
            };
            (row, written)
        })
        // A row with text only in columns not read (a number, a note) is no member.
        .filter(|(_, w)| w != &Written::default())
        .collect();
    if members.len() > MAX_ROWS {
        return Err(FileProblem::TooManyRows { max: MAX_ROWS });
    }
    Ok(Table { rows: members })
}
