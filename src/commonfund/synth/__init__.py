"""The synthetic compound generator (for the demo, tests and benchmarks): books, audit cases, bank statements."""
