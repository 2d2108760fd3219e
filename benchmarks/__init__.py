"""commonfund's benchmark suite against bare Beancount (``make bench``; ``python -m benchmarks.run --help``).

Every figure is a small registered *measure* (:mod:`benchmarks.registry`) that runs in a fresh child
process (:mod:`benchmarks.child`), so each timing is cold, uncached and carries its own peak memory.
A feature that has not landed yet is recorded as "not available", never as a made-up number.
"""
