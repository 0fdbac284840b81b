"""Makes book.ods and book.xls, the two workbook forms rust_xlsxwriter cannot write, as
LibreOffice (typed string, date and float cells) and old Excel (BIFF8, a date format on date
cells) save them. Run once by hand: python3 make.py (needs odfpy and xlwt from PyPI); the
files are committed, so the tests need neither."""
import datetime

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
import xlwt

ROWS = [
    ["2026年 客户台账", "", "", "", ""],
    ["客户编号", "客户名称", "等级", "最近联系时间", "销售额（万元）"],
    ["K1", "甲公司", "A级", datetime.date(2026, 10, 1), 12.5],
    ["K2", "乙公司", "C级", datetime.date(2026, 9, 1), 3.25],
    ["合计", "", "", "", 15.75],
]


def ods(path):
    doc = OpenDocumentSpreadsheet()
    notes = Table(name="说明")
    row = TableRow()
    cell = TableCell(valuetype="string")
    cell.addElement(P(text="客户在下一页"))
    row.addElement(cell)
    notes.addElement(row)
    doc.spreadsheet.addElement(notes)
    table = Table(name="客户")
    for values in ROWS:
        row = TableRow()
        for v in values:
            if isinstance(v, datetime.date):
                cell = TableCell(valuetype="date", datevalue=v.isoformat())
                cell.addElement(P(text=f"{v.year}/{v.month}/{v.day}"))
            elif isinstance(v, float):
                cell = TableCell(valuetype="float", value=v)
                cell.addElement(P(text=str(v)))
            elif v == "":
                cell = TableCell()
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=v))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(path)


def xls(path):
    book = xlwt.Workbook(encoding="utf-8")
    book.add_sheet("说明").write(0, 0, "客户在下一页")
    sheet = book.add_sheet("客户")
    date = xlwt.easyxf(num_format_str="yyyy/m/d")
    for r, values in enumerate(ROWS):
        for c, v in enumerate(values):
            if isinstance(v, datetime.date):
                sheet.write(r, c, v, date)
            elif v != "":
                sheet.write(r, c, v)
    book.save(path)


ods("book.ods")
xls("book.xls")
