"""The household register (业主名册) and ballot files: reading, validating, caching."""
