#!/usr/bin/env python3
"""Writes 客户台账.xlsx, the workbook of this example, as a sales team keeps it in Excel:
a sheet of notes first, then the 客户 sheet with a title row, typed cells (date cells,
amounts in 万元 as numbers), a totals row with formulas. Run with openpyxl installed
(pip install openpyxl); the workbook in the repository was made by it."""
import datetime as dt

import openpyxl
from openpyxl.styles import Font

wb = openpyxl.Workbook()
notes = wb.active
notes.title = "说明"
notes.append(["本表由华东区销售部维护；金额单位：万元。"])
notes.append(["每周一上午更新「客户」表。"])

ws = wb.create_sheet("客户")
ws.append(["2026年 华东区客户台账"])
ws["A1"].font = Font(bold=True, size=14)
ws.append(["客户编号", "客户名称", "客户经理", "客户阶段", "客户等级", "客户类型", "联系人",
           "手机号", "最近跟进日期", "年销售额（万元）", "利润（万元）", "生日", "备注"])
D = dt.date
rows = [
    ["HD001", "华东精密机械有限公司", "王芳", "正式客户", "A级", "理智型", "张总", "138-0512-1203",
     D(2026, 11, 6), 125.84, 31.46, "3月15日", "年度框架合同，月底下单"],
    ["HD002", "苏州恒通电子有限公司", "李强", "正式客户", "A级", "主人翁型", "刘经理", "139-0512-5580",
     D(2026, 11, 13), 50.44, 9.08, None, None],
    ["HD003", "宁波甬兴新材料有限公司", "陈静", "试用客户", "B级", "抢功型", "周主管", "137-0574-2210",
     D(2026, 11, 20), None, None, "11月2日", "技术部新任主管牵头试样"],
    ["HD004", "上海曜石广告有限公司", "陈静", "意向客户", "C级", "主人翁型", "何总", "136-2162-8873",
     D(2026, 9, 23), None, None, None, "报价已认可，等预算"],
    ["HD005", "杭州佳禾食品有限公司", "赵磊", "潜在客户", "D级", "吝啬型", "吴采购", "135-0571-7716",
     D(2026, 8, 20), None, None, None, "只比价"],
    ["HD006", "无锡宏远化工有限公司", "赵磊", "潜在客户", "E级", None, None, None,
     D(2026, 5, 10), None, None, None, None],
    ["HD007", "南通海达船舶配件厂", "李强", "潜在客户", "D级", None, "孙厂长", "139-0513-4402",
     None, None, None, None, "展会名片，未联系"],
    ["HD008", "常州新材料科技有限公司", "王芳", "意向客户", "C级", "关系型", "钱总", "138-0519-6601",
     D(2026, 10, 2), 8.5, 1.2, "7月21日", "朋友介绍"],
]
for r in rows:
    ws.append(r)
for row in ws.iter_rows(min_row=3, max_row=2 + len(rows), min_col=9, max_col=9):
    for cell in row:
        cell.number_format = "yyyy/m/d"
last = 2 + len(rows)
ws.append(["合计", None, None, None, None, None, None, None, None,
           f"=SUM(J3:J{last})", f"=SUM(K3:K{last})", None, None])
wb.save("客户台账.xlsx")
