"""bargain's engine: the workflow runtime and everything around it."""
