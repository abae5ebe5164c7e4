"""Files as shops export them: Excel's CSV (CRLF, `;`, quoted separators), Windows code pages,
UTF-16 "Unicode text", and .xlsx workbooks, read the same way by the CLI and the dashboard."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.service.csv_items import DELIMITERS, CsvProblem, csv_items
from parceltrace.service.uploads import decoded, uploaded_items


def test_excels_semicolon_csv_with_crlf_and_a_quoted_separator() -> None:
    """The issue's own file (printf 'number;tag\\r\\nSANDBOX-Delivered-Other-130;"x; y"\\r\\n')."""
    data = b'number;tag\r\nSANDBOX-Delivered-Other-130;"x; y"\r\n'
    upload = uploaded_items(data)
    assert upload.items == [{"number": "SANDBOX-Delivered-Other-130", "tag": "x; y"}]
    assert upload.read_as == "CSV, UTF-8"


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).map(str.strip)


@given(
    delimiter=st.sampled_from(DELIMITERS),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    tags=st.lists(cells, min_size=1, max_size=6),
)
def test_any_separator_and_line_ending_reads_back_what_was_written(
    delimiter: str, newline: str, tags: list[str]
) -> None:
    """Written by Python's csv writer (quoting cells that hold the separator or quotes), read
    back item for item, whatever the separator and the line ending."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["number", "tag"])
    numbers = [f"RR{i:09d}CN" for i in range(len(tags))]
    writer.writerows(zip(numbers, tags, strict=True))
    items = list(csv_items([out.getvalue()]))
    assert [i["number"] for i in items] == numbers
    assert [i.get("tag", "") for i in items] == [
        t.replace("\r\n", "\n").replace("\r", "\n").strip() for t in tags
    ]


@pytest.mark.parametrize(
    ("text", "codec", "named"),
    [
        ("number;tag\r\nRR123456789CN;Müller Straße\r\n", "cp1252", "Windows-1252"),
        ("number,tag\r\nRR123456789CN,café crème\r\nRR123456780CN,Gérard\r\n", "cp1252", "Windows-1252"),
        ("number,tag\nRR123456789CN,é\n", "cp1252", "Windows-1252"),
        ("номер;метка\r\nRR123456789CN;Привет мир, доставка\r\n", "cp1251", "Windows-1251"),
        ("number\ttag\r\nRR123456789CN\t東京都\r\n", "utf-16", "UTF-16"),
        ("number,tag\nRR123456789CN,naïve\n", "utf-8-sig", "UTF-8"),
        ("number,tag\nRR123456789CN,naïve\n", "utf-8", "UTF-8"),
    ],
    ids=[
        "cp1252-german",
        "cp1252-french",
        "cp1252-one-letter",
        "cp1251",
        "utf-16-excel-unicode-text",
        "utf-8-bom",
        "utf-8",
    ],
)
def test_encodings_are_told_and_said(text: str, codec: str, named: str) -> None:
    data = text.encode(codec)
    assert decoded(data) == (text, named)


def test_a_cp1252_file_imports_with_its_accents() -> None:
    upload = uploaded_items("Tracking Number;Tag\r\nRR123456789CN;Müller Straße\r\n".encode("cp1252"))
    assert upload.items == [{"number": "RR123456789CN", "tag": "Müller Straße"}]
    assert upload.read_as == "CSV, Windows-1252"


def workbook(rows: list[list[object]], title: str = "Orders") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_first_sheet_is_read_like_a_csv() -> None:
    data = workbook(
        [
            ["Tracking Number", "Courier", "Order ID", "Order Date", "Note"],
            ["RR123456789CN", 3011, 1234567.0, date(2026, 12, 1), None],
            [None, None, None, None, None],
            ["SANDBOX-Delivered-Other-1", None, "A-7777", None, "fragile"],
        ]
    )
    upload = uploaded_items(data)
    assert upload.read_as == "Excel workbook, sheet 'Orders'"
    assert upload.items == [
        {"number": "RR123456789CN", "carrier": 3011, "order_no": "1234567", "order_time": "2026-12-01"},
        {"number": "SANDBOX-Delivered-Other-1", "order_no": "A-7777", "remark": "fragile"},
    ]


def test_an_xlsx_without_a_header_is_numbers_then_carriers() -> None:
    upload = uploaded_items(workbook([["RR123456789CN", 3011], ["RR123456780CN"]]))
    assert upload.items == [{"number": "RR123456789CN", "carrier": 3011}, {"number": "RR123456780CN"}]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file (.xls)"),
        (b"", "The file is empty"),
    ],
    ids=["xls", "empty"],
)
def test_files_that_cannot_be_read_say_what_to_do(data: bytes, says: str) -> None:
    with pytest.raises(CsvProblem, match=says.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        uploaded_items(data)


def test_a_zip_that_is_no_workbook_says_so() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(CsvProblem, match="not an Excel workbook"):
        uploaded_items(out.getvalue())


def test_what_shop_exports_get_wrong_is_tidied_and_said() -> None:
    """Carrier names for codes, Excel's ="…" and scientific notation, a short order number: the
    tracking is kept, and every change is said."""
    text = (
        "Sendungsnummer;Versanddienstleister;Bestellnummer\r\n"
        "RR123456789CN;UPS;ORDER-1\r\n"
        '="0034043400000000000001";La Poste;ORDER-2\r\n'
        "RR123456780CN;DPD;1234\r\n"
        "RR123456781CN;Acme Couriers;\r\n"
        "3.40434E+19;Colissimo;\r\n"
    )
    upload = uploaded_items(text.encode("utf-8"))
    assert upload.items == [
        {"number": "RR123456789CN", "carrier": 100002, "order_no": "ORDER-1"},
        {"number": "0034043400000000000001", "carrier": 6051, "order_no": "ORDER-2"},
        {"number": "RR123456780CN"},
        {"number": "RR123456781CN"},
        {"number": "3.40434E+19", "carrier": 6051},
    ]
    said = "\n".join(upload.notes)
    assert "RR123456780CN: carrier 'DPD' names 28 carriers; left out" in said
    assert "RR123456780CN: order_no '1234' left out: it must be 5 to 50" in said
    assert "RR123456781CN: carrier 'Acme Couriers' is no carrier 17TRACK lists" in said
    assert "3.40434E+19: Excel wrote this number in scientific notation" in said
    assert len(upload.notes) == 4


def test_an_xlsx_with_carrier_names_gets_their_codes() -> None:
    data = workbook(
        [["Tracking Number", "Carrier"], ["RR123456789CN", "China Post"], ["CA123456789FR", "La Poste"]]
    )
    assert uploaded_items(data).items == [
        {"number": "RR123456789CN", "carrier": 3011},
        {"number": "CA123456789FR", "carrier": 6051},
    ]


def test_neighbours_big_endian_utf16_and_decomposed_accents() -> None:
    """UTF-16 with the big-endian mark; headings and carrier names in decomposed form (NFD, as
    macOS writes file text), not only the composed form the other tests use."""
    import codecs
    import unicodedata

    text = "Numéro de suivi\tTransporteur\r\nRR123456789CN\tLa Pôste\r\n"
    assert decoded(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == (text, "UTF-16")
    upload = uploaded_items(unicodedata.normalize("NFD", text).encode("utf-8"))
    assert upload.items == [{"number": "RR123456789CN", "carrier": 6051}]
