"""The command groups of the bargain CLI; cli.py assembles them."""
