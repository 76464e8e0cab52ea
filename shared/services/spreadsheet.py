"""CSV and XLSX writers for exports and the XLSX reader for imports; formula injection neutralised.

XLSX is written by XlsxWriter in constant-memory mode (each row goes straight to the file, memory stays flat;
openpyxl's write-only mode spent most of a 100k-invoice export in its pure-Python XML writer): money is a number
cell formatted `"Rp" #,##0`, dates are date cells shown `dd/mm/yyyy`. CSV is UTF-8 with a BOM and CRLF
line ends, `;` separated by default: Excel set to Indonesian (decimal comma) splits a CSV on `;`, not `,`, so a
comma-separated file would open as a single column. Dates are written `dd/mm/yyyy` in CSV too.

Reading XLSX (customer import) uses openpyxl's read-only mode: rows are parsed as they are iterated, never the
whole sheet at once. The archive is checked before openpyxl sees it (a zip whose parts would expand beyond
`MAX_XLSX_EXPANDED_BYTES` is refused), and formulas are read as their saved value, never as formula text.
"""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shared.timeutil import WIB

MONEY_FORMAT = '"Rp" #,##0'
# Excel's column width unit is the width of a digit of the default font (Calibri 11): 7 pixels.
XLSX_DIGIT_PIXELS = 7
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# A spreadsheet treats a cell starting with one of these as a formula (or DDE payload): CWE-1236.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
CSV_DELIMITERS = (";", ",")
DEFAULT_CSV_DELIMITER = ";"
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003) and password-protected .xlsx files
MAX_XLSX_EXPANDED_BYTES = 100 * 1024 * 1024  # 50,000 real rows expand to about 30 MB
MIME_TYPES = {"csv": "text/csv; charset=utf-8",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | money | int | date | datetime
    width: int = 16


def neutralise(text: str) -> str:
    """A text that a spreadsheet will show as typed, never evaluate (CSV: a leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


class _CsvSheet:
    def __init__(self, handle, columns: Sequence[Column], delimiter: str = DEFAULT_CSV_DELIMITER):
        self._writer = csv.writer(handle, delimiter=delimiter)  # excel dialect otherwise: CRLF line ends
        self._columns = columns
        self.write([column.header for column in columns], kinds=["text"] * len(columns))

    def write(self, values: Sequence, *, kinds: Sequence[str] | None = None, bold: bool = False) -> None:
        kinds = kinds or [column.kind for column in self._columns]
        self._writer.writerow([_csv_value(value, kind) for value, kind in zip(values, kinds, strict=False)])


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if kind == "date" and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return neutralise(str(value))


_NUMBER_FORMATS = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT, "int": "0"}


class _XlsxSheet:
    """Rows streamed to the file by XlsxWriter in constant-memory mode: each row is written out when the next
    begins, strings inline, so memory stays flat however many rows there are."""

    def __init__(self, workbook: xlsxwriter.Workbook, title: str, columns: Sequence[Column]):
        self._workbook = workbook
        self._sheet = sheet = workbook.add_worksheet(title)
        self._columns = columns
        self._row = 0
        self._formats: dict[tuple[str, bool], object] = {}
        sheet.freeze_panes(1, 0)  # A2
        for index, column in enumerate(columns):
            # Pixels, so the stored width is the column's own (set_column would add Excel's 5-pixel padding).
            sheet.set_column_pixels(index, index, column.width * XLSX_DIGIT_PIXELS)
        self.write([column.header for column in columns], kinds=["text"] * len(columns), bold=True)

    def write(self, values: Sequence, *, kinds: Sequence[str] | None = None, bold: bool = False) -> None:
        kinds = kinds or [column.kind for column in self._columns]
        sheet, row = self._sheet, self._row
        for col, (value, kind) in enumerate(zip(values, kinds, strict=False)):
            if value is None:
                continue
            if isinstance(value, str):
                # Always a string cell: text starting with "=" is never written as a formula.
                sheet.write_string(row, col, _xlsx_text(value), self._format("text", bold))
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value, self._format(kind, bold))
            elif isinstance(value, date):  # datetime too
                if kind == "datetime" and isinstance(value, datetime):
                    value = _local(value).replace(tzinfo=None)  # Excel has no time zones: show WIB
                sheet.write_datetime(row, col, value, self._format(kind, bold))
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value, self._format(kind, bold))
            else:
                sheet.write_string(row, col, _xlsx_text(str(value)), self._format("text", bold))
        self._row += 1

    def _format(self, kind: str, bold: bool):
        """One shared cell format per (number format, bold): a string cell has none unless bold."""
        key = (kind if kind in _NUMBER_FORMATS else "text", bold)
        if key not in self._formats:
            properties = {}
            if key[0] != "text":
                properties["num_format"] = _NUMBER_FORMATS[key[0]]
            if bold:
                properties["bold"] = True
            self._formats[key] = self._workbook.add_format(properties) if properties else None
        return self._formats[key]


XLSX_MAX_CELL_CHARS = 32_767  # Excel's limit; XlsxWriter writes nothing at all for a longer string


def _xlsx_text(value: str) -> str:
    """Control characters removed (they make the file unreadable), CR stored as the LF that XML reads it as
    (XlsxWriter would escape a CR as `_x000D_`, which readers other than Excel show literally), and cut to the
    longest text a cell holds rather than left empty."""
    return ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")[:XLSX_MAX_CELL_CHARS]


def _local(value: datetime) -> datetime:
    return value.astimezone(WIB) if value.tzinfo else value


@contextmanager
def open_sheet(path: Path, fmt: str, columns: Sequence[Column], *, title: str,
               delimiter: str = DEFAULT_CSV_DELIMITER) -> Iterator[_CsvSheet | _XlsxSheet]:
    """A sheet with a header row; rows written to it go to `path` (complete once the block ends)."""
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            yield _CsvSheet(handle, columns, delimiter)
        return
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        yield _XlsxSheet(workbook, title, columns)
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# Reading XLSX (customer import)


class UnreadableWorkbook(Exception):
    """The bytes are not a workbook openpyxl can read; the message says why, in Indonesian."""


CORRUPT_XLSX = ("File Excel rusak atau bukan file .xlsx yang sebenarnya. Buka file di Excel lalu simpan ulang "
                "sebagai \"Buku Kerja Excel (.xlsx)\", atau simpan sebagai CSV.")
OLD_XLS = ("File Excel lama (.xls, Excel 97–2003) atau file Excel yang dikunci kata sandi tidak didukung. "
           "Simpan ulang sebagai \"Buku Kerja Excel (.xlsx)\" tanpa kata sandi, atau sebagai CSV.")


def is_xlsx(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC)


def is_old_excel(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC)


def read_xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """(row number, cell values) for every row of the first worksheet, the header first.

    Values are `str`, `int`, `float`, `date`/`datetime` (cells Excel formats as dates), `bool` or None; a formula
    gives the value Excel saved with it (None when the file was never opened in Excel). Raises
    UnreadableWorkbook for anything that is not a readable .xlsx, at any point of the iteration.
    """
    workbook = _open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored <dimension> may be wrong or absent: read every row there is
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # openpyxl reports a broken part with many exception types
        raise UnreadableWorkbook(CORRUPT_XLSX) from exc
    finally:
        workbook.close()


def _open_workbook(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableWorkbook(CORRUPT_XLSX) from exc
    if not any(part.filename == "xl/workbook.xml" for part in parts):
        raise UnreadableWorkbook(CORRUPT_XLSX)
    if sum(part.file_size for part in parts) > MAX_XLSX_EXPANDED_BYTES:  # a zip bomb dressed as a workbook
        raise UnreadableWorkbook("Isi file Excel terlalu besar setelah diekstrak. Simpan sebagai CSV atau pecah "
                                 "menjadi beberapa file.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableWorkbook(CORRUPT_XLSX) from exc
    if not workbook.worksheets:
        workbook.close()
        raise UnreadableWorkbook("File Excel tidak berisi lembar kerja.")
    return workbook


def template_workbook(columns: Sequence[str], example: Sequence, help_text: dict[str, str], *,
                      text_columns: Sequence[str] = (), date_columns: Sequence[str] = ()) -> bytes:
    """A small workbook to fill in: a bold header, one example row, text/date formats for whole columns, and a
    second sheet "Petunjuk" explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pelanggan"
    sheet.append(list(columns))
    sheet.append(list(example))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(name) + 4)
        sheet.cell(row=1, column=index).font = bold
        fmt = "@" if name in text_columns else DATE_FORMAT if name in date_columns else None
        if fmt:
            # Rows typed later keep the column's format: a phone stays text, not 8,12346E+10.
            sheet.column_dimensions[letter].number_format = fmt
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = fmt
    guide = workbook.create_sheet("Petunjuk")
    guide.append(["Kolom", "Keterangan"])
    for name in columns:
        guide.append([name, help_text.get(name, "")])
    guide["A1"].font = guide["B1"].font = bold
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
