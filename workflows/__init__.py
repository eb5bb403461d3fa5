"""Workflow definitions (data only): one folder per workflow, one TOML file per version."""
