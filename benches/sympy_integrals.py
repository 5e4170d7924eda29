#!/usr/bin/env python3
"""SymPy's `integrate` on the integrals fcorr derives in closed form, for comparison with
`cargo bench --bench analysis` (the README's *Coverage* section quotes both).

Run by hand: `python3 benches/sympy_integrals.py [timeout in seconds, default 60] [case]` (needs
sympy; `case` keeps the cases whose name contains it). Each integral runs in a child process that is stopped at the timeout; the script prints,
for each, the wall time and whether SymPy returned a closed form, an unevaluated integral, or
nothing within the timeout. The integrals are the transform's, as fcorr states them:

    f(u) = u * Integral_0^{ln u} g'(tau) e^{-tau} dtau           (from a loss)
    g(t) = f(e^t) - Integral_0^t f(e^tau) dtau                   (from a generator)
"""

import multiprocessing as mp_
import sys
import time

import sympy as sp

tau = sp.Symbol("tau", real=True)
t = sp.Symbol("t", real=True)
u = sp.Symbol("u", positive=True)


def from_loss(g):
    gp = sp.diff(g.subs(t, tau), tau)
    return u * sp.integrate(gp * sp.exp(-tau), (tau, 0, sp.log(u)))


def from_divergence(f):
    return f.subs(u, sp.exp(t)) - sp.integrate(f.subs(u, sp.exp(tau)), (tau, 0, t))


CASES = [
    ("loss t^2", lambda: from_loss(t**2)),
    ("loss log(cosh(t))", lambda: from_loss(sp.log(sp.cosh(t)))),
    ("loss softplus(t) - log(2) - t/2", lambda: from_loss(sp.log(1 + sp.exp(t)) - sp.log(2) - t / 2)),
    (
        "loss huber",
        lambda: from_loss(sp.Min(sp.Abs(t), 1) * (sp.Abs(t) - sp.Min(sp.Abs(t), 1) / 2)),
    ),
    ("divergence le-cam", lambda: from_divergence((u - 1) ** 2 / (2 * (u + 1)))),
    ("divergence js", lambda: from_divergence(u * sp.log(u) - (u + 1) * sp.log((1 + u) / 2))),
    ("divergence gan", lambda: from_divergence(u * sp.log(u) - (u + 1) * sp.log(u + 1))),
]


def run(index, queue):
    result = CASES[index][1]()
    closed = not result.has(sp.Integral)
    queue.put((closed, str(result)[:120]))


def main():
    timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    only = sys.argv[2] if len(sys.argv) > 2 else None
    print(f"sympy {sp.__version__}, timeout {timeout:g} s")
    for i, (name, _) in enumerate(CASES):
        if only is not None and only not in name:
            continue
        queue = mp_.Queue()
        child = mp_.Process(target=run, args=(i, queue))
        start = time.perf_counter()
        child.start()
        child.join(timeout)
        elapsed = time.perf_counter() - start
        if child.is_alive():
            child.terminate()
            child.join()
            print(f"{name}: timed out after {timeout:g} s")
            continue
        closed, text = queue.get()
        what = "closed form" if closed else "unevaluated integral"
        print(f"{name}: {elapsed:.2f} s, {what}: {text}")


if __name__ == "__main__":
    main()
