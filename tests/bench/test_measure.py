"""bench.measure: a command that starts a process → the largest single peak and the tree's summed peak."""

from __future__ import annotations

from pathlib import Path

from bench.measure import measure, python

_TREE = """
import subprocess, sys
held = b"x" * (60 * 2**20)
child = "import time; held = b'y' * (80 * 2**20); time.sleep(1.0)"
subprocess.run([sys.executable, "-c", child], check=True)
print('{"held": %d}' % len(held))
"""


def test_summed_peak_adds_up_every_process_of_the_tree(tmp_path: Path) -> None:
    script = tmp_path / "tree.py"
    script.write_text(_TREE, encoding="utf-8")

    m = measure(python(str(script)))

    assert m.report == {"held": 60 * 2**20}
    assert m.processes == 2
    # the child (80 MiB held) is the largest single process; the sum adds the parent's 60 MiB
    assert 80 <= m.peak_rss_mb < 80 + 60
    assert m.peak_sum_mb >= m.peak_rss_mb + 50
