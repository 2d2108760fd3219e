"""The audit (审计): findings, the registry of checks, the report."""
