"""The revisions, one file per schema change, named by their revision id."""
