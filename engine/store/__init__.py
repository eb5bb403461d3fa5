"""Every SQL statement: schema, migrations, repository, directory, bulk writes, deadline and list queries."""
