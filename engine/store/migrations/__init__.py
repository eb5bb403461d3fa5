"""Alembic migrations shipped inside the package: env.py, versions/ (one revision per schema change).

engine/store/database.py configures Alembic from code (`alembic_config`), with the script location taken
from this package, so migrations run from an installed package and from any folder. Revision ids are
plain and ordered: "0001_initial", "0002_...".
"""
