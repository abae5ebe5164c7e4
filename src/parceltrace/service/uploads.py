"""A file of numbers as shops export it, read the same way by the CLI's `import` and the
dashboard's upload: CSV in whatever encoding it was saved (UTF-8, UTF-16 with its mark, a
Windows code page), or an Excel workbook (.xlsx, its first sheet). Says how it was read, and
tidies what shop exports get wrong (each tidying said in a note): carrier names for codes,
Excel's `="0034…"` around numbers, an order number the API would refuse the whole row for."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import charset_normalizer
import openpyxl

from parceltrace.carriers.names import carrier_named
from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError
from parceltrace.service.csv_items import CsvProblem, csv_items, row_items

ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
PREFERRED = ("cp1252", "cp1251", "cp1250", "iso8859_15", "gb18030", "shift_jis", "big5", "euc_kr")
"""Spreadsheets saved in something other than UTF-8 are nearly always in one of these (Excel's
"CSV" on Windows writes the system's code page): when the detector finds several encodings as
likely, which a short file often allows, the first of these that reads the file wins."""
NAMES = {
    "cp1252": "Windows-1252",
    "cp1251": "Windows-1251",
    "cp1250": "Windows-1250",
    "iso8859_15": "ISO-8859-15",
    "gb18030": "GB18030",
    "shift_jis": "Shift JIS",
    "big5": "Big5",
    "euc_kr": "EUC-KR",
}
EXACT_FLOATS = 2**53
"""Whole numbers Excel stores as floats are exact below this; above, digits are already lost."""
EXCEL_TEXT = re.compile(r'^="(.*)"$')
"""Excel's way to keep leading zeros: the cell `="0034…"`."""
SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?E\+?\d+$", re.IGNORECASE)
CARRIER_FIELDS = ("carrier", "final_carrier")


@dataclass(frozen=True)
class Upload:
    items: list[dict[str, Any]]
    read_as: str
    """How the file was read ("CSV, UTF-8", "CSV, Windows-1252", "Excel workbook, sheet 'Orders'")."""
    notes: list[str]
    """What was tidied or will fail, row by row, in words a person can act on."""


def uploaded_items(data: bytes) -> Upload:
    """The registration items of a file's bytes; CsvProblem (with what to do) when none can be read."""
    if data.startswith(OLD_EXCEL_MAGIC):
        raise CsvProblem(
            "This is an old Excel file (.xls): save it as .xlsx or as CSV UTF-8 and upload that."
        )
    if data.startswith(ZIP_MAGIC):
        items, read_as = _workbook(data)
    else:
        text, encoding = decoded(data)
        items, read_as = list(csv_items([text])), f"CSV, {encoding}"
    notes: list[str] = []
    return Upload([_tidied(item, notes) for item in items], read_as, notes)


def _tidied(item: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """`item` with what shop exports get wrong put right, each change said in `notes`."""
    number = str(item["number"])
    if unwrapped := EXCEL_TEXT.match(number):
        number = item["number"] = unwrapped.group(1).strip()
    if SCIENTIFIC.match(number):
        notes.append(
            f"{number}: Excel wrote this number in scientific notation and its digits are lost; "
            "format the column as Text in Excel and export again."
        )
    for field in CARRIER_FIELDS:
        value = item.get(field)
        if isinstance(value, str):
            match = carrier_named(value)
            if match.code is not None:
                item[field] = match.code
                continue
            del item[field]
            why = f"names {len(match.codes)} carriers" if match.codes else "is no carrier 17TRACK lists"
            notes.append(f"{number}: {field} {value!r} {why}; left out (give its code to choose).")
    if "order_no" in item:
        try:
            validation.order_no(str(item["order_no"]))
        except ApiError:
            notes.append(
                f"{number}: order_no {item.pop('order_no')!r} left out: it must be 5 to 50 letters, "
                "digits or dashes."
            )
    return item


def decoded(data: bytes) -> tuple[str, str]:
    """The text of `data` and the name of the encoding it was read in."""
    for mark, codec, name in BOMS:
        if data.startswith(mark):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                break  # a mark by chance: the detector judges the bytes
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise CsvProblem("The file's encoding could not be told: save it as CSV UTF-8 and upload that.")
    likely = [r for r in results if r.chaos <= best.chaos + 0.01]
    readings = {r.encoding for r in likely} | {str(r) for r in likely}
    for codec in PREFERRED:
        try:
            reads = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec in readings or reads in readings:  # the detector found it, or a twin that reads the same
            return reads, NAMES[codec]
    return str(best), best.encoding


def _workbook(data: bytes) -> tuple[list[dict[str, Any]], str]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CsvProblem(
            f"The file is a zip archive but not an Excel workbook ({exc}): upload an .xlsx or a CSV."
        ) from exc
    try:
        sheet = book.active
        if sheet is None:
            raise CsvProblem("The workbook has no sheet.")
        rows = ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
        return list(row_items(_non_empty(rows))), f"Excel workbook, sheet {sheet.title!r}"
    finally:
        book.close()


def _non_empty(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    return (row for row in rows if any(cell.strip() for cell in row))


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV export would hold: whole numbers without ".0", dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_FLOATS:
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # Excel keeps a date as a datetime at midnight
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
