"""Reports, trends and transparency exports (CONTRACT.md "Reports and exports"; DOMAIN.md §5).

Every figure is computed by the database (grouping, percentiles); Python only folds the few grouped rows.
"""
