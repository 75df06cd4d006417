"""AshReports benchmarks: generated data in, timings and peak memory out, written to docs/performance.md.

Run ``python -m bench`` (all benchmarks, about ten minutes), ``python -m bench --quick``
(smaller sizes, a CI smoke test of under a minute) or ``python -m bench --only NAME``.
Every measured case runs in a fresh process so that its memory peaks are its own; see
``bench.measure``. This package imports nothing but the standard library at import time
(``bench.measure`` adds psutil when it samples): ``python -m bench.measure`` must not load
the engine into the measuring process.
"""
