"""Letters: render (Jinja → HTML → WeasyPrint, safe fetcher), archive, owed letters, bulk export."""
