"""A compound on disk: its config, loading its books, its source files' fingerprint, scaffolding a new one."""
