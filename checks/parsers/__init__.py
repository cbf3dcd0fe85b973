"""Parsers: pure functions from a tool's text output to plain data.

They never raise: unreadable input gives None or [] and a reason.
"""
