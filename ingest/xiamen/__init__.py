"""The Xiamen municipal department-budget template (厦门市部门预算公开).

Two layouts of it are known: 'xiamen-appendix' (2024: prose plus 附件1–11 tables) and
'xiamen-prose' (2020: line items in prose, tables as tab-indented blocks)."""
