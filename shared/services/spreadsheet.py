"""CSV and XLSX writers for exports: typed columns, rows written as they come, formula injection neutralised.

XLSX uses openpyxl's write-only mode (rows go straight to a temporary file, memory stays flat): money is a
number cell formatted `"Rp" #,##0`, dates are date cells shown `dd/mm/yyyy`. CSV is UTF-8 with a BOM and CRLF
line ends, which Excel opens correctly.
"""

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shared.timeutil import WIB

MONEY_FORMAT = '"Rp" #,##0'
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# A spreadsheet treats a cell starting with one of these as a formula (or DDE payload): CWE-1236.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
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
    def __init__(self, handle, columns: Sequence[Column]):
        self._writer = csv.writer(handle)  # excel dialect: `,` separated, CRLF line ends
        self._columns = columns
        self.write([column.header for column in columns], kinds=["text"] * len(columns))

    def write(self, values: Sequence, *, kinds: Sequence[str] | None = None, bold: bool = False) -> None:
        kinds = kinds or [column.kind for column in self._columns]
        self._writer.writerow([_csv_value(value, kind) for value, kind in zip(values, kinds, strict=False)])


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return neutralise(str(value))


class _XlsxSheet:
    def __init__(self, workbook: Workbook, title: str, columns: Sequence[Column]):
        self._sheet = sheet = workbook.create_sheet(title)
        self._columns = columns
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        self._bold = Font(bold=True)
        self.write([column.header for column in columns], kinds=["text"] * len(columns), bold=True)

    def write(self, values: Sequence, *, kinds: Sequence[str] | None = None, bold: bool = False) -> None:
        kinds = kinds or [column.kind for column in self._columns]
        self._sheet.append([self._cell(value, kind, bold) for value, kind in zip(values, kinds, strict=False)])

    def _cell(self, value, kind: str, bold: bool):
        if value is None:
            return None
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters make the file unreadable
            if not (bold or is_formula_like(value)):
                return value
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.data_type = "s"  # openpyxl would store "=..." as a formula; keep it a plain string
        else:
            if kind == "datetime" and isinstance(value, datetime):
                value = _local(value).replace(tzinfo=None)  # Excel has no time zones: show WIB
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.number_format = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT,
                                  "int": "0"}.get(kind, "General")
        if bold:
            cell.font = self._bold
        return cell


def _local(value: datetime) -> datetime:
    return value.astimezone(WIB) if value.tzinfo else value


@contextmanager
def open_sheet(path: Path, fmt: str, columns: Sequence[Column], *, title: str) -> Iterator[_CsvSheet | _XlsxSheet]:
    """A sheet with a header row; rows written to it go to `path` (complete once the block ends)."""
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            yield _CsvSheet(handle, columns)
        return
    workbook = Workbook(write_only=True)
    sheet = _XlsxSheet(workbook, title, columns)
    yield sheet
    workbook.save(path)
