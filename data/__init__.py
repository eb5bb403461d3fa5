"""Reference and demo data shipped with bargain (holiday files, sample inputs)."""
