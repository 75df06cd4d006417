"""The optional C extension `engine.data._hashscan` (everything else is in pyproject.toml).

Built when the machine has a C compiler (gcc and the Python headers); without one the
install goes on without it and charts are grouped by the database instead
(`engine.data.hashed`). It needs no SQLite headers or library to build: it finds the
SQLite library Python's own `sqlite3` module has loaded, at run time.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "engine.data._hashscan",
            ["engine/data/_hashscan.c"],
            optional=True,
            extra_compile_args=["-O2"],
            libraries=["dl", "pthread"],
        )
    ]
)
