#!/usr/bin/env python3
"""fcorr next to SciPy, SymPy and mpmath on the same work, in one run.

Run by hand (not in CI), from the repository, after `cargo build --release`:

    python3 benches/peers.py [--fcorr target/release/fcorr] [--repeat 7] [--divan]

Each task is timed in turns (fcorr, then its peer, then fcorr again, ...) `--repeat` times, so a
load that changes during the run falls on both sides; the table gives the median time of each
side, their ratio and the spread of the per-turn ratios (lowest–highest). fcorr runs as a
process (start-up included); Python's own start-up is not counted for the peers, which run in
this interpreter. `--divan` also runs the divan benchmarks of the library
(`cargo bench --bench transform`, for `log(1 + t^2)`, for `log(cosh(t))` forced numeric and for
`log(cosh(t))` as the library gives it to a user: closed form, quadrature near `u = 1`) and of
the process (`cargo bench --bench cli`: `log(1 + t^2)` with the text and the JSON report,
`log(cosh(t))` with the text report, each `--at` the 1,000 points), each between turns of the
SciPy loop over the same loss (`--repeat` before and after), and prints the ratios of the
fastest to the fastest and of the median to the median. Accuracy is the largest
relative error against mpmath at 30 digits, on every 20th point.

Needs python3 with SymPy, SciPy and mpmath; says so and stops without them.
"""

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time

try:
    import mpmath
    import scipy
    import sympy
    from scipy.integrate import quad
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(f"peers.py needs SymPy, SciPy and mpmath: {e}")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

#: 1,000 log-spaced ratios in [1e-3, 1e3].
US = [10 ** (-3 + 6 * i / 999) for i in range(1000)]
#: The loss whose generator fcorr computes numerically, and its derivative g'.
LOSS = "log(1 + t^2)"


def g_prime(t):
    return 2 * t / (1 + t * t)


def scipy_loop():
    """f(u) = u ∫_0^{ln u} g'(τ) e^(−τ) dτ at every u, by `quad` with a `math` lambda."""
    out = []
    for u in US:
        v, _ = quad(lambda t: 2 * t / (1 + t * t) * math.exp(-t), 0.0, math.log(u),
                    epsabs=0.0, epsrel=1e-10, limit=200)
        out.append(u * v)
    return out


def scipy_loop_log_cosh():
    """The same loop for log(cosh(t)) (g' = tanh), whose closed form fcorr finds: the divan
    benchmark `log_cosh_compiled` times fcorr's numeric transform of it all the same."""
    out = []
    for u in US:
        v, _ = quad(lambda t: math.tanh(t) * math.exp(-t), 0.0, math.log(u),
                    epsabs=0.0, epsrel=1e-10, limit=200)
        out.append(u * v)
    return out


def mp_reference(u):
    mpmath.mp.dps = 30
    u = mpmath.mpf(u)
    f = lambda t: 2 * t / (1 + t * t) * mpmath.exp(-t)
    return u * mpmath.quad(f, [0, mpmath.log(u)])


def fcorr_run(binary, args):
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout


def fcorr_values(binary):
    at = ",".join(repr(u) for u in US)
    out = json.loads(fcorr_run(binary, ["--from-loss", LOSS, "--at", at, "--json"]))
    return [v.get("f", float("nan")) for v in out["values"]]


def sympy_closed_form():
    """The generator of log(cosh(t)) in closed form: ∫ tanh(τ) e^(−τ) dτ."""
    t = sympy.Symbol("t", real=True)
    return sympy.simplify(sympy.integrate(sympy.tanh(t) * sympy.exp(-t), t))


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def compare(name, ours, theirs, repeat):
    """Interleaved turns; returns one table row."""
    mine, peer, ratios = [], [], []
    for _ in range(repeat):
        a, _ = timed(ours)
        b, _ = timed(theirs)
        mine.append(a)
        peer.append(b)
        ratios.append(b / a)
    return (name, statistics.median(mine), statistics.median(peer),
            statistics.median(ratios), min(ratios), max(ratios))


def divan_times(bench, pattern):
    """The fastest and median times of one divan benchmark, in seconds (`cargo bench` output
    parsed)."""
    out = subprocess.run(["cargo", "bench", "--bench", bench, "--", pattern],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}

    def seconds(cell):
        m = re.search(r"([\d.]+)\s*(ns|µs|us|ms|s)$", cell.strip())
        return float(m.group(1)) * units[m.group(2)] if m else None

    for line in out.splitlines():
        if pattern in line:
            cells = line.split("│")
            # "name  fastest" │ slowest │ median │ mean │ samples │ iters
            fastest, median = seconds(cells[0]), seconds(cells[2])
            if fastest and median:
                return fastest, median
    raise RuntimeError(f"no divan line for {pattern}:\n{out}")


def against_loop(label, loop, bench, pattern, repeat):
    """One divan benchmark between turns of a SciPy loop (`repeat` before, `repeat` after): a
    printed line comparing the fastest with the fastest and the median with the median, so
    that a load that comes and goes weighs on both sides alike."""
    loops = [timed(loop)[0] for _ in range(repeat)]
    fastest, median = divan_times(bench, pattern)
    loops += [timed(loop)[0] for _ in range(repeat)]
    best, mid = min(loops), statistics.median(loops)
    print(f"{label}: fastest {fastest * 1e6:.0f} µs vs {best * 1e3:.1f} ms ({best / fastest:.0f}×), "
          f"median {median * 1e6:.0f} µs vs {mid * 1e3:.1f} ms ({mid / median:.0f}×)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fcorr", default=os.path.join(ROOT, "target", "release", "fcorr"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--divan", action="store_true")
    args = parser.parse_args()
    binary = args.fcorr
    if not os.access(binary, os.X_OK):
        sys.exit(f"no fcorr binary at {binary}: run `cargo build --release` or pass --fcorr")
    print(f"SymPy {sympy.__version__}, SciPy {scipy.__version__}, mpmath {mpmath.__version__}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")

    at = ",".join(repr(u) for u in US)
    rows = [
        compare(f"f of {LOSS} at 1,000 u: fcorr process (full report) vs quad loop",
                lambda: fcorr_run(binary, ["--from-loss", LOSS, "--at", at]), scipy_loop,
                args.repeat),
        compare("closed f of log(cosh(t)): fcorr process (full report) vs SymPy integrate",
                lambda: fcorr_run(binary, ["--from-loss", "log(cosh(t))"]), sympy_closed_form,
                max(1, args.repeat // 3)),
    ]
    print()
    print(f"{'task':<78} {'fcorr':>10} {'peer':>10} {'ratio':>8}  spread")
    for name, a, b, r, lo, hi in rows:
        print(f"{name:<78} {a * 1e3:>8.2f}ms {b * 1e3:>8.2f}ms {r:>7.1f}×  {lo:.1f}–{hi:.1f}")

    # Processes against the simplest one, in turns.
    base, others = [], {"log(cosh(t))": [], "js": []}
    for _ in range(args.repeat):
        base.append(timed(lambda: fcorr_run(binary, ["--from-loss", "t^2"]))[0])
        others["log(cosh(t))"].append(
            timed(lambda: fcorr_run(binary, ["--from-loss", "log(cosh(t))"]))[0])
        others["js"].append(timed(lambda: fcorr_run(binary, ["--from-divergence", "js"]))[0])
    print()
    print(f"fcorr --from-loss t^2: median {statistics.median(base) * 1e3:.2f} ms")
    for name, times in others.items():
        ratios = [t / b for t, b in zip(times, base)]
        print(f"  {name}: median {statistics.median(times) * 1e3:.2f} ms, "
              f"{statistics.median(ratios):.2f}× t^2 (spread {min(ratios):.2f}–{max(ratios):.2f})")

    if args.divan:
        print()
        n = args.repeat
        print("divan (fastest, median) against the SciPy quad loop over the same loss and points")
        against_loop(f"library, {LOSS}", scipy_loop, "transform", "log_one_plus_square_compiled",
                     n)
        against_loop("library, log(cosh(t)) numeric", scipy_loop_log_cosh, "transform",
                     "log_cosh_compiled", n)
        against_loop("library, log(cosh(t)) as a user gets it (closed form, quadrature near u = 1)",
                     scipy_loop_log_cosh, "transform", "log_cosh_library", n)
        against_loop(f"process, {LOSS} --at (full report)", scipy_loop, "cli",
                     "numeric_side_at_1000_points_process", n)
        against_loop(f"process, {LOSS} --at --json (full report)", scipy_loop, "cli",
                     "numeric_side_at_1000_points_json_process", n)
        against_loop("process, log(cosh(t)) --at (full report)", scipy_loop_log_cosh, "cli",
                     "log_cosh_at_1000_points_process", n)

    ours = fcorr_values(binary)
    theirs = scipy_loop()
    worst_ours = worst_theirs = 0.0
    for i in range(0, len(US), 20):
        exact = mp_reference(US[i])
        rel = lambda v: float(abs((mpmath.mpf(v) - exact) / exact))
        worst_ours = max(worst_ours, rel(ours[i]))
        worst_theirs = max(worst_theirs, rel(theirs[i]))
    print()
    print(f"accuracy against mpmath (30 digits), every 20th u: fcorr {worst_ours:.1e}, "
          f"SciPy quad {worst_theirs:.1e} (largest relative error)")


if __name__ == "__main__":
    main()
