#!/usr/bin/env python3
"""Writes tests/fixtures/members.xlsx: the smallest XLSX an akimat's Excel could send for the
members import test (app/src/councils/import/tests.rs). An XLSX is a zip of XML parts; this
one has a shared-strings table, a date-formatted cell, a phone typed as a number, a row left
empty and a Russian (not Kazakh) phone number. Standard library only, fixed timestamps: the
same bytes on every run.

    python3 tests/support/make_members_xlsx.py
"""
import datetime
import pathlib
import zipfile
from xml.sax.saxutils import escape

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "members.xlsx"


def serial(day):
    """Excel's day number (1900 system) of a date."""
    return (day - datetime.date(1899, 12, 30)).days


# (row number, [(column letter, kind, value)]); kind s = shared string, n = number, d = date.
ROWS = [
    (1, [("A", "s", "ФИО"), ("B", "s", "Роль"), ("C", "s", "Телефон"), ("D", "s", "Член совета с")]),
    (2, [("A", "s", "Нұров Асқар"), ("B", "s", "Председатель"), ("C", "s", "8 701 234 56 78"),
         ("D", "d", datetime.date(2021, 3, 15))]),
    # Row 3 is left empty, as people do between groups.
    (4, [("A", "s", "Иванов Пётр Сергеевич"), ("B", "s", "аксакал"), ("C", "n", 87015550011),
         ("D", "s", "01.09.2022")]),
    (5, [("A", "s", "Смағұлова Гүлнар"), ("B", "s", "кәсіпкер"), ("C", "s", "+7 916 123 45 67")]),
]

strings = []
for _, cells in ROWS:
    for _, kind, value in cells:
        if kind == "s" and value not in strings:
            strings.append(value)


def cell(ref, kind, value):
    if kind == "s":
        return f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>'
    if kind == "d":
        # Style 1 below: built-in number format 14, a short date.
        return f'<c r="{ref}" s="1"><v>{serial(value)}</v></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


sheet_rows = "".join(
    f'<row r="{n}">' + "".join(cell(f"{col}{n}", kind, value) for col, kind, value in cells) + "</row>"
    for n, cells in ROWS
)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Члены совета" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{NS}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
    "xl/sharedStrings.xml": (
        f'<sst xmlns="{NS}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:D5"/>'
        f"<sheetData>{sheet_rows}</sheetData></worksheet>"
    ),
}

OUT.parent.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as archive:
    for name, xml in PARTS.items():
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
