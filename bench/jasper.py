"""JasperReports benchmark: the grouped listing in JasperReports 6.20 and AshReports → wall times (fresh and warm JVM), peaks, a row check.

JasperReports renders ``bench/jasper_listing.jrxml``, the same listing as
``bench/grouped_listing.ashr`` (A4, the same column boxes and band heights, Liberation
Sans 9 pt embedded, "Page x of y"), from the same generated SQLite file as the listing
benchmark (``bench.listing.write_database``). The jars come from the ``pyreportjasper``
wheel (``bench/requirements.txt``), the SQLite JDBC driver from Debian's
``libxerial-sqlite-jdbc-java``; ``bench/JasperListing.java`` (compiled with ``javac``
before any clock starts) compiles the JRXML once, then fills and exports it. Without
java, javac, the jars or the driver the section says what is missing and measures nothing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .listing import REPORT, pdf_facts, write_database
from .markdown import Section, Table, megabytes, seconds
from .measure import ROOT, Measurement, measure, python
from .registry import Options, benchmark

JRXML = ROOT / "bench" / "jasper_listing.jrxml"
PROGRAM = ROOT / "bench" / "JasperListing.java"
FONTS = ROOT / "resources" / "fonts"
#: where Debian's libxerial-sqlite-jdbc-java puts the driver
SQLITE_JDBC = Path("/usr/share/java/sqlite-jdbc.jar")
SIZES_FULL = (10_000, 100_000)
SIZES_QUICK = (1_000,)
#: runs of each case at 10,000 rows (the median counts); one at 100,000, where a run takes 10 s or more
REPEATS = 3
INSTALL_HINT = (
    "install the pinned jars with `.venv/bin/pip install -r bench/requirements.txt` "
    "(pyreportjasper ships JasperReports 6.20) and, on Debian or Ubuntu, "
    "`apt-get install -y default-jdk-headless libxerial-sqlite-jdbc-java`"
)

_FONT_EXTENSION = """\
net.sf.jasperreports.extension.registry.factory.fonts=net.sf.jasperreports.engine.fonts.SimpleFontExtensionsRegistryFactory
net.sf.jasperreports.extension.simple.font.families.ashr=ashr_fonts.xml
"""
_FONT_FAMILIES = """\
<?xml version="1.0" encoding="UTF-8"?>
<fontFamilies>
  <fontFamily name="Liberation Sans">
    <normal>{fonts}/LiberationSans-Regular.ttf</normal>
    <bold>{fonts}/LiberationSans-Bold.ttf</bold>
    <pdfEncoding>Identity-H</pdfEncoding>
    <pdfEmbedded>true</pdfEmbedded>
  </fontFamily>
</fontFamilies>
"""


@dataclass(frozen=True)
class JasperKit:
    """A ready JasperReports set-up: the classpath, the compiled report, the jars' version."""

    classpath: str
    jasper: Path
    version: str
    java: str

    def argv(self, db: Path, out: Path, runs: int) -> list[str]:
        """A fresh JVM that fills and exports the listing ``runs`` times."""
        return [self.java, "-cp", self.classpath, "JasperListing", "render", str(self.jasper),
                str(db), str(out), str(runs)]  # fmt: skip


def _jar_folder() -> Path | None:
    spec = importlib.util.find_spec("pyreportjasper")  # found, not imported (that starts JPype)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "libs"
    return folder if folder.is_dir() else None


def prepare_jasper(folder: Path) -> JasperKit | str:
    """Compile the Java program and the JRXML into ``folder``; the kit, or why Jasper cannot run."""
    java, javac = shutil.which("java"), shutil.which("javac")
    jars = _jar_folder()
    missing = [
        name
        for name, there in (
            ("java", java), ("javac", javac), ("the pyreportjasper jars", jars),
            (f"the SQLite JDBC driver ({SQLITE_JDBC})", SQLITE_JDBC.exists() or None),
        )
        if there is None
    ]  # fmt: skip
    if missing or java is None or javac is None or jars is None:
        return f"{', '.join(missing)} not found; {INSTALL_HINT}"
    found = sorted(jars.glob("jasperreports-[0-9]*.jar"))
    if not found:
        return f"no jasperreports-*.jar in {jars}; {INSTALL_HINT}"
    version = found[-1].stem.removeprefix("jasperreports-")
    classes = folder / "jasper-classes"
    classes.mkdir(exist_ok=True)
    (classes / "jasperreports_extension.properties").write_text(_FONT_EXTENSION, encoding="utf-8")
    (classes / "ashr_fonts.xml").write_text(_FONT_FAMILIES.format(fonts=FONTS), encoding="utf-8")
    # the driver first: DriverManager stops loading drivers at the first broken service entry
    classpath = f"{SQLITE_JDBC}:{classes}:{jars}/*"
    jasper = folder / "listing.jasper"
    for argv in (
        [javac, "-nowarn", "-proc:none", "-d", str(classes), "-cp", classpath, str(PROGRAM)],
        [java, "-cp", classpath, "JasperListing", "compile", str(JRXML), str(jasper)],
    ):
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"`{' '.join(argv[:2])} …` failed: {done.stderr.strip()[-500:]}"
    return JasperKit(classpath, jasper, version, java)


def _java_version(java: str) -> str:
    done = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    return (done.stderr.splitlines() or ["unknown"])[0]


def _median_run(runs: list[Measurement], index: int) -> float:
    """The median in-JVM seconds of render number ``index`` (0: the fresh one) of each process."""
    return statistics.median(m.report["runs"][index]["seconds"] for m in runs)


def _median_wall(runs: list[Measurement]) -> float:
    return statistics.median(m.wall for m in runs)


def _kb(runs: list[Measurement], key: str) -> float:
    return statistics.median(getattr(m, key) for m in runs)


@benchmark("jasper", "Grouped listing: AshReports vs JasperReports")
def run_jasper(options: Options) -> Section:
    section = Section("jasper", "Grouped listing: AshReports vs JasperReports")
    sizes = SIZES_QUICK if options.quick else SIZES_FULL
    with options.workdir("jasper") as folder:
        kit = prepare_jasper(folder)
        if isinstance(kit, str):
            section.intro = _INTRO
            section.notes.append(f"**JasperReports not measured:** {kit}.")
            options.log(f"jasper: skipped ({kit})")
            return section
        section.intro = _INTRO + f"\nJasperReports {kit.version} on {_java_version(kit.java)}.\n"
        table = Table([
            "rows", "engine", "measured", "time (median)", "largest process peak",
            "process tree peak (summed)", "pages", "rows in PDF", "ours / this",
            "load 1 min (before → after)",
        ])  # fmt: skip
        targets = Table(["rows", "target", "AshReports", "JasperReports warm", "ratio", "met"])
        for count in sizes:
            repeats = 1 if options.quick or count >= 100_000 else REPEATS
            db = folder / f"listing-{count}.sqlite"
            write_database(db, count)
            ours_pdf, fresh_pdf, warm_pdf = (
                folder / f"{n}-{count}.pdf" for n in ("ashr", "fresh", "warm")
            )
            ours_argv = python("-m", "engine", "render", str(REPORT), "--data", f"sqlite:///{db}",
                               "-o", str(ours_pdf))  # fmt: skip
            argvs = {"ours": ours_argv, "fresh": kit.argv(db, fresh_pdf, 1),
                     "warm": kit.argv(db, warm_pdf, 2)}  # fmt: skip
            results: dict[str, list[Measurement]] = {name: [] for name in argvs}
            before = _load1()
            # interleaved (ours, fresh, warm, ours, …): other work on the machine hits all three alike
            for repeat in range(repeats):
                for name, argv in argvs.items():
                    options.log(f"jasper: {count:,} rows, {name} {repeat + 1}/{repeats}")
                    results[name].append(measure(argv))
            load = f"{before} → {_load1()}"
            ours, fresh, warm = results["ours"], results["fresh"], results["warm"]
            ours_wall = _median_wall(ours)
            fresh_wall, warm_s = _median_wall(fresh), _median_run(warm, 1)
            facts = {name: pdf_facts(pdf) for name, pdf in
                     (("ours", ours_pdf), ("fresh", fresh_pdf), ("warm", warm_pdf))}  # fmt: skip
            _check_same(section, count, facts)

            fill_s = statistics.median(m.report["runs"][1]["fill"] for m in warm)
            export_s = statistics.median(m.report["runs"][1]["export"] for m in warm)
            rows = (
                ("AshReports", "`python -m engine render` process", ours_wall, "ours"),
                ("JasperReports", "fresh JVM: `java … JasperListing render` process (start, fill, "
                 "export)", fresh_wall, "fresh"),
                ("JasperReports", f"warm JVM: the second fill + export in one JVM (fill {fill_s:.2f} s, "
                 f"export {export_s:.2f} s; the first took {_median_run(warm, 0):.2f} s)", warm_s, "warm"),
            )  # fmt: skip
            for engine, what, wall, name in rows:
                runs = results[name]
                table.add(count, engine, what, seconds(wall), megabytes(_kb(runs, "peak_rss_kb")),
                          megabytes(_kb(runs, "peak_sum_kb")), facts[name]["pages"],
                          facts[name]["rows"], f"{ours_wall / wall:.2f}", load)  # fmt: skip
            if options.quick:
                continue
            label = f"listing {count:,} rows: CLI process ahead of warm JasperReports"
            versus = f"{seconds(ours_wall)} vs {seconds(warm_s)} ({ours_wall / warm_s:.2f} ×)"
            targets.add(count, "CLI process wall time < warm JasperReports (second render in one JVM)",
                        seconds(ours_wall), seconds(warm_s), f"{ours_wall / warm_s:.2f}",
                        section.target(label, ours_wall < warm_s, versus))  # fmt: skip
        section.tables.append(table)
        if targets.rows:
            section.tables.append(targets)
        else:
            section.notes.append(
                "`--quick` measures 1,000 rows only; the targets apply at 10,000 and 100,000 rows."
            )
    section.notes.append(_DIFFERENCES)
    return section


def _load1() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _check_same(section: Section, count: int, facts: dict[str, dict[str, object]]) -> None:
    """Fair only if both print the same rows, groups and totals: read back with PyMuPDF."""
    ours = facts["ours"]
    problems = [
        f"{name} printed {f['rows']} rows, {f['subtotals']} subtotals, "
        f"{f['grand_totals']} grand totals ({f['grand_total']})"
        for name, f in facts.items()
        if (f["rows"], f["subtotals"], f["grand_totals"], f["grand_total"])
        != (count, 20, 1, ours["grand_total"])
    ]
    pages = ", ".join(
        f"{name} {f['pages']} pages ({f['headers']} column headers, "
        f"{f['page_x_of_y']} “Page x of y”)"
        for name, f in facts.items()
    )
    if problems:
        section.missed.append(f"jasper {count} rows: PDFs differ ({'; '.join(problems)})")
        section.notes.append(f"**Not comparable at {count:,} rows:** " + "; ".join(problems))
        return
    section.notes.append(
        f"Row check (text read back with PyMuPDF): {count:,} rows: every PDF prints {count:,} "
        f"item rows, 20 subtotals, grand total {ours['grand_total']}; {pages}."
    )


_INTRO = """
The same grouped listing as "Grouped listing: AshReports vs ReportBro", rendered by
JasperReports, the peer users compare us with most, from the same generated SQLite file.
*AshReports* is the wall time of `python -m engine render` (a fresh process, as in the
listing section). *Fresh JVM* is the wall time of a new `java` process that starts the
JVM, fills the precompiled report (`JasperFillManager.fillReport` from the `.jasper` file,
over a JDBC connection to the SQLite file) and exports the PDF
(`JasperExportManager.exportReportToPdfFile`). *Warm JVM* is the clock inside one JVM
around its second fill + export (a report server keeps its JVM warm: classes loaded,
JIT-compiled); that process also renders once before it. Medians of 3 runs at 10,000 rows,
one run at 100,000 rows, the three cases interleaved (so that other work on the machine
slows them alike; the load column spans all of them). Peaks as in "Method": the largest
single process (`ru_maxrss`) and the process tree's RSS summed while it runs (for a JVM
the same process; its default heap limit is a quarter of the RAM, so a JVM holds on to
more memory than it needs). The JRXML is compiled to a `.jasper` file once before any
clock starts, as a deployed report is.
The target: AshReports' whole CLI process ahead of warm JasperReports at both sizes.
"""

_DIFFERENCES = """
Differences between the two listings (kept as small as JasperReports allows):

- Both embed Liberation Sans (JasperReports through a font extension the benchmark writes,
  pointing at `resources/fonts`), 9 pt text in the same boxes on 14 pt rows, so the pages
  break at the same rows; the page counts are in the table.
- "Page x of y" is one text field evaluated `Auto` (the current page from a page-reset
  variable, the count from `PAGE_NUMBER` at the end of the report).
- The query is the same (`ORDER BY category, id`); JasperReports reads `amount` as
  `BigDecimal` (JDBC `getBigDecimal` on the decimal text) and sums it exactly; `day` is
  printed as the stored ISO text, where AshReports reads a date and formats it
  `yyyy-MM-dd` (same text).
- JasperReports' variables (`Sum` reset per group and per report) are running totals, as
  AshReports' are.
"""
