"""Imports from the spreadsheets federations keep: organisations, enterprises, counselors, offer ledgers.

`core` runs a file through a `Kind` (one module per kind); `columns` knows headers and cell values.
"""
