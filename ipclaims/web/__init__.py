"""The web pages (CONTRACT.md "Web pages"): server-rendered Jinja2 under `templates/pages/`, signed-cookie
sessions with CSRF, calling the same service functions as the JSON API. `app.install` wires them into the app."""
