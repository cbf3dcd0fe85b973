"""Renderers: a report in, text out (terminal, JSON, Markdown; HTML for the web page)."""
