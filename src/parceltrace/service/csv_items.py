"""Registration items from text: a CSV file with a header (the CLI's `import`, the dashboard's
upload) or a pasted list of numbers (the dashboard). Values are passed on as given; the API's
own validation judges them, so every bad row gets the error code the API would give."""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from parceltrace.protocol.failures import ParceltraceError
from parceltrace.protocol.validation import plain_int

CSV_FIELDS = (
    "number",
    "carrier",
    "final_carrier",
    "tag",
    "order_no",
    "order_time",
    "email",
    "lang",
    "param",
    "remark",
)
_NUMERIC = ("carrier", "final_carrier")
_SEPARATORS = re.compile(r"[\s,;]+")
_EDGES = re.compile(r"^[\s,;]+|[\s,;]+$")


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    for name in _NUMERIC:
        value = plain_int(item[name]) if name in item else None
        if value is not None:
            item[name] = value
    return item


ALIASES = {
    "number": (
        "tracking_number",
        "tracking",
        "tracking_no",
        "trackingnumber",
        "tracking_id",
        "tracking_code",
        "track_number",
        "shipment_number",
        "parcel_number",
        "waybill",
        "awb",
        "consignment_number",
        # the languages shop exports come in (accents are ignored when matching)
        "sendungsnummer",
        "trackingnummer",
        "paketnummer",
        "numero_de_suivi",
        "numero_suivi",
        "numero_de_seguimiento",
        "numero_de_rastreo",
        "codigo_de_rastreio",
        "codigo_de_rastreamento",
        "numero_di_tracking",
        "numero_di_spedizione",
        "codice_di_tracciamento",
        "track_trace",
        "zendingnummer",
        "numer_przesylki",
        "трек_номер",
        "номер_отслеживания",
        "追踪号",
        "运单号",
        "快递单号",
        "追跡番号",
        "お問い合わせ番号",
        "송장번호",
        "운송장번호",
    ),
    "carrier": (
        "courier",
        "carrier_code",
        "courier_code",
        "carrier_id",
        "carrier_key",
        "versanddienstleister",
        "paketdienst",
        "transporteur",
        "transportista",
        "transportadora",
        "corriere",
        "vervoerder",
        "przewoznik",
        "перевозчик",
        "служба_доставки",
        "快递公司",
        "承运商",
        "配送業者",
        "운송사",
        "택배사",
    ),
    "final_carrier": ("last_mile_carrier", "final_carrier_code"),
    "tag": ("label", "reference", "referenz", "referencia", "riferimento"),
    "order_no": (
        "order",
        "order_number",
        "order_id",
        "bestellnummer",
        "numero_de_commande",
        "numero_de_pedido",
        "numero_ordine",
        "bestelnummer",
        "номер_заказа",
        "订单号",
        "注文番号",
        "주문번호",
    ),
    "order_time": ("order_date",),
    "email": ("e_mail", "email_address", "customer_email"),
    "lang": ("language",),
    "param": ("postal_code", "postcode", "zip", "zip_code"),
    "remark": ("note", "notes", "comment"),
}
"""Column names spreadsheets and shop exports use, by the field each means."""
_NAME_NOISE = re.compile(r"[\s\-.#]+")
_NUMBER_LIKE = re.compile(r"(?=.*\d)[A-Za-z0-9-]{5,50}")
"""A first cell that is a number, not a heading: tracking numbers have digits."""
DELIMITERS = ",;\t|"


class CsvProblem(ParceltraceError, ValueError):
    """A file with no column that holds tracking numbers; the message says what was found."""


def column_field(name: str) -> str | None:
    """The field a column heading means (`Tracking Number`, `courier`, `Numéro de suivi`,
    `Sendungsnummer`, ...), or None."""
    return _FIELD_BY_NAME.get(_heading_key(name))


def _heading_key(name: str) -> str:
    """Lower case, accents off (`Numéro` = `numero`), runs of spaces and dashes as `_`."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return _NAME_NOISE.sub("_", unicodedata.normalize("NFC", bare).strip().lower()).strip("_")


_FIELD_BY_NAME = {_heading_key(name): field for field, names in ALIASES.items() for name in (field, *names)}


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of `text` (newlines already "\n"): sniffed, or, where the sniffer cannot
    tell (a quoted cell holding the separator can stop it), the separator the header line uses
    most."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS)
    except csv.Error:
        header = text.split("\n", 1)[0]
        counts = {candidate: header.count(candidate) for candidate in DELIMITERS}
        best = max(counts, key=lambda candidate: counts[candidate])
        return _Separated(best if counts[best] else ",")


class _Separated(csv.excel):
    def __init__(self, delimiter: str) -> None:
        super().__init__()
        self.delimiter = delimiter


def csv_items(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One item per row with a number; unknown columns and empty cells are left out.

    The delimiter is sniffed (`;` from European spreadsheets, tabs, `|`); headings are matched
    in any case with their usual aliases; a file whose first row is already a number has no
    header: its columns are the number, then the carrier. Raises CsvProblem when no column
    holds numbers."""
    text = "".join(lines)
    try:
        yield from _items(text)
    except csv.Error as exc:
        raise CsvProblem(f"The file is not readable as CSV: {exc}.") from exc


def _items(text: str) -> Iterator[dict[str, Any]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Excel writes CRLF; old Macs CR
    yield from row_items(csv.reader(io.StringIO(text, newline=""), _dialect(text)))


def row_items(rows: Iterable[list[str]]) -> Iterator[dict[str, Any]]:
    """Items from rows of cells (a CSV file's, a workbook sheet's): the first row is the header,
    unless it already holds a number (then the columns are the number, then the carrier)."""
    remaining = iter(rows)
    header = next(remaining, None)
    if header is None or not any(cell.strip() for cell in header):
        raise CsvProblem(
            "The file is empty: expected a header with a `number` column, or one number per row."
        )
    fields = [column_field(cell) for cell in header]
    if "number" not in fields:
        if not _NUMBER_LIKE.fullmatch(header[0].strip()):
            found = ", ".join(repr(cell.strip()) for cell in header if cell.strip())
            raise CsvProblem(
                f"No column of tracking numbers: the header has {found}. Expected a `number` column "
                "(or tracking_number, tracking, awb, ...), optionally `carrier` (or courier, carrier_code), "
                f"`tag`, `order_no`, ...; or a file without a header, one number per row."
            )
        fields = ["number", "carrier"]
        remaining = itertools.chain([header], remaining)
    for row in remaining:
        item: dict[str, Any] = {}
        for field, value in zip(fields, row, strict=False):
            if field is not None and field not in item and value and value.strip():
                item[field] = value.strip()
        if item.get("number"):
            yield _typed(item)


def pasted_items(text: str) -> list[dict[str, Any]]:
    """One number per line, optionally followed by a carrier code and then the carrier's extra
    parameter, the rest of the line (`RR123456789CN 3011`, `12345678901 100005 SW1A 1AA`). A line
    whose first word has no digit (no tracking number has none) and whose second is no code is
    one number as written (`not a number!!`), for the API to judge whole, not a number "not" of
    carrier "a"."""
    items = []
    for line in text.splitlines():
        trimmed = _EDGES.sub("", line)
        parts = _SEPARATORS.split(trimmed, maxsplit=2)
        if not parts[0]:
            continue
        if len(parts) > 1 and not parts[1].isdigit() and not any(c.isdigit() for c in parts[0]):
            parts = [trimmed]
        item: dict[str, Any] = {"number": parts[0]}
        if len(parts) > 1:
            item["carrier"] = parts[1]
        if len(parts) > 2:
            item["param"] = parts[2]
        items.append(_typed(item))
    return items
