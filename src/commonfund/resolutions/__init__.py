"""Resolutions of the owners' assembly (业主大会决议): records, vote arithmetic, reading them from the ledger."""
