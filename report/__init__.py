"""report: what analysts open without writing SQL.

- ``report.build``: a static HTML report with PNG charts, read from the published warehouse
  through a read-only connection (``python -m budgetwh report``, ``make report``).
- ``report.docs_site``: the dbt docs site (``dbt docs generate --static`` on a copy of the
  warehouse) and a check that it renders in headless Chromium (``python -m budgetwh docs``).
- ``report.fonts``: the CJK font the charts and the headless browser use (Noto Sans SC from
  the pinned PyPI package pylopdf-fonts-zh-cn, else a system CJK font); fails clearly when
  none is installed.
"""
