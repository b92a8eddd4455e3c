"""sourcebook's default theme: Jinja2 templates and static/ files, shipped as package data
(`sourcebook.default_theme`). Nothing here is Python; this file only lets the folder be a package."""
