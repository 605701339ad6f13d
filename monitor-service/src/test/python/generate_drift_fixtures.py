"""Writes the JSON fixtures that pin Drover's drift statistics to SciPy.

Each fixture file holds cases: the inputs and what SciPy (or, where SciPy has no function, NumPy following
Evidently's formula) computes for them. The Java tests in dev.drover.monitor.drift read these files; they run
without Python. Regenerate after changing a case:

    python3 -m venv /tmp/drift-venv
    /tmp/drift-venv/bin/pip install -r monitor-service/src/test/python/requirements.txt
    /tmp/drift-venv/bin/python monitor-service/src/test/python/generate_drift_fixtures.py

A sample is either a list of numbers or a "grid": value i = (((a*i + b) % p) % q) / divisor + shift, which Java
computes to the same doubles; grids keep the large samples (more than 10,000 values, where ks_2samp switches to
its asymptotic p-value) out of the files.

profiled_accuracy.json.gz holds random samples instead (heavy tails, tied integers, small to large), for the test
that profiles a reference with the executor's profiler and compares the monitor's statistics on that profile with
SciPy's on the raw values (standalone module, ProfiledReferenceAccuracyTest). To keep the file small a sample is
stored sorted, as fixed-point integers: {"decimals": d, "deltas": [x0, x1 - x0, ...]}, value i = (x0 + ... +
xi) / 10**d, which Java computes to the same doubles. Every statistic here is symmetric in the order of the values.
"""
import gzip
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "drift-fixtures")
rng = np.random.default_rng(20240604)


def grid(n, a, b, p, divisor, shift=0.0, q=None):
    spec = {"n": n, "a": a, "b": b, "p": p, "q": q or p, "divisor": divisor, "shift": shift}
    return spec, grid_values(spec)


def grid_values(s):
    i = np.arange(s["n"], dtype=np.int64)
    ints = ((s["a"] * i + s["b"]) % s["p"]) % s["q"]
    return ints.astype(np.float64) / float(s["divisor"]) + float(s["shift"])


def rounded(x, decimals=4):
    return np.round(np.asarray(x, dtype=np.float64), decimals)


def sample(x):
    """A sample as stored: a plain list, or the grid spec when given one."""
    if isinstance(x, tuple):
        return {"grid": x[0]}
    return [float(v) for v in x]


def values(x):
    return x[1] if isinstance(x, tuple) else np.asarray(x, dtype=np.float64)


def write(name, cases):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({"generator": "generate_drift_fixtures.py", "numpy": np.__version__, "scipy": scipy.__version__,
                   "cases": cases}, f, indent=1)
        f.write("\n")


def ks_cases():
    out = []
    small = [
        ("small normal, different sizes", rounded(rng.normal(0, 1, 20)), rounded(rng.normal(0.3, 1, 30))),
        ("equal sizes", rounded(rng.normal(0, 1, 25)), rounded(rng.normal(0, 1.5, 25))),
        ("ties within and across samples", rng.integers(0, 6, 40).astype(float), rng.integers(1, 7, 50).astype(float)),
        ("identical samples", rounded(np.linspace(-1, 1, 15)), rounded(np.linspace(-1, 1, 15))),
        ("disjoint samples", np.arange(10.0), np.arange(100.0, 112.0)),
        ("two values each", [1.0, 2.0], [3.0, 4.0]),
        ("medium, shifted", rounded(rng.normal(0, 1, 500)), rounded(rng.normal(0.1, 1, 800))),
        ("medium, same distribution", rounded(rng.exponential(2, 700)), rounded(rng.exponential(2, 900))),
        ("exact at the 10,000 boundary", grid(10000, 7919, 3, 10007, 10007.0),
         grid(10000, 104729, 11, 10009, 10009.0, shift=0.01)),
        ("asymptotic just past the boundary", grid(10000, 7919, 3, 10007, 10007.0),
         grid(10001, 104729, 11, 10009, 10009.0, shift=0.01)),
        ("large, asymptotic, no drift", grid(12000, 7919, 5, 12011, 12011.0),
         grid(15000, 15485863, 1, 15013, 15013.0)),
        ("large, asymptotic, drift", grid(12000, 7919, 5, 12011, 12011.0),
         grid(15000, 15485863, 1, 15013, 15013.0, shift=0.03)),
        ("large with ties", grid(20000, 7919, 5, 20011, 200.0, q=1000),
         grid(11000, 15485863, 1, 11003, 200.0, q=1000, shift=0.05)),
    ]
    for name, x, y in small:
        r = stats.ks_2samp(values(x), values(y))
        out.append({"name": name, "reference": sample(x), "current": sample(y),
                    "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    return out


def ks_asymptotic_cases():
    out = []
    for d, n, m in [(0.001, 1_000_000, 100_000), (0.005, 1_000_000, 100_000), (0.01, 1_000_000, 100_000),
                    (0.02, 20_000, 15_000), (0.004, 50_000, 400_000), (0.3, 11_000, 12_000), (0.0002, 1_000_000, 1_000_000),
                    (0.05, 10_500, 200), (0.2, 10_500, 150), (0.6, 10_500, 100), (0.0001, 10_001, 10_001)]:
        en = n * m / (n + m)
        p = stats.kstwo.sf(d, np.round(en))
        out.append({"d": d, "n": n, "m": m, "pValue": float(np.clip(p, 0, 1))})
    return out


def chi_cases():
    out = []
    for name, ref, cur in [
        ("four categories", [120, 80, 50, 30], [100, 95, 40, 25]),
        ("large counts, no drift", [50123, 30077, 19800], [5011, 3020, 1969]),
        ("large counts, drift", [50123, 30077, 19800], [4500, 3500, 2000]),
        ("category only in the reference", [40, 30, 30], [50, 50, 0]),
        ("category only in the current sample", [40, 60, 0], [30, 50, 20]),
        ("identical proportions", [10, 20, 30], [20, 40, 60]),
        ("two categories", [7, 13], [12, 8]),
    ]:
        k = sum(cur) / sum(ref)
        f_exp = [c * k for c in ref]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = stats.chisquare(cur, f_exp)
        out.append({"name": name, "reference": ref, "current": cur,
                    "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    return out


def wasserstein_cases():
    out = []
    for name, u, v, uw, vw in [
        ("normal samples", rounded(rng.normal(0, 1, 300)), rounded(rng.normal(0.2, 1.1, 200)), None, None),
        ("ties", rng.integers(0, 5, 60).astype(float), rng.integers(2, 8, 40).astype(float), None, None),
        ("identical samples", [1.0, 2.0, 3.5], [1.0, 2.0, 3.5], None, None),
        ("disjoint samples", [0.0, 1.0, 3.0], [5.0, 6.0, 8.0], None, None),
        ("weighted", [3.4, 3.9, 7.5, 7.8], [4.5, 1.4], [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]),
        ("weighted with zero weights and ties", [0.0, 1.0, 1.0, 2.0], [0.0, 1.0, 3.0], [0.0, 2.0, 1.0, 1.0],
         [1.0, 1.0, 0.5]),
        ("single values", [2.0], [5.5], None, None),
    ]:
        w = stats.wasserstein_distance(u, v, uw, vw)
        case = {"name": name, "u": [float(a) for a in u], "v": [float(a) for a in v], "distance": float(w)}
        if uw is not None:
            case["uWeights"] = [float(a) for a in uw]
            case["vWeights"] = [float(a) for a in vw]
        else:
            # Evidently's normed statistic: the distance over max(np.std(reference), 0.001), u the reference
            case["normed"] = float(w / max(np.std(np.asarray(u, dtype=float)), 0.001))
        out.append(case)
    return out


def evidently_binned(reference, current, fill_empty):
    """Evidently's get_binned_data for numeric features with more than 20 distinct values."""
    reference = np.asarray(reference, dtype=float)
    current = np.asarray(current, dtype=float)
    bins = np.histogram_bin_edges(np.concatenate([reference, current]), bins="sturges")
    r = np.histogram(reference, bins)[0] / len(reference)
    c = np.histogram(current, bins)[0] / len(current)
    if fill_empty:
        r, c = evidently_fill(r), evidently_fill(c)
    return bins, r, c


def evidently_fill(shares):
    shares = np.array(shares, dtype=float)
    smallest = min(shares[shares != 0])
    np.place(shares, shares == 0, smallest / 10**6 if smallest <= 0.0001 else 0.0001)
    return shares


def psi_value(r, c):
    return float(np.sum((r - c) * np.log(r / c)))


def numeric_pairs():
    return [
        ("normal, shifted", rounded(rng.normal(0, 1, 400)), rounded(rng.normal(0.5, 1, 300))),
        ("same distribution", rounded(rng.normal(5, 2, 1000)), rounded(rng.normal(5, 2, 1000))),
        ("current far outside the reference", rounded(rng.uniform(0, 1, 200)), rounded(rng.uniform(3, 4, 150))),
        ("1024 pooled values (log2 exact)", rounded(rng.gamma(2, 1, 512)), rounded(rng.gamma(2.2, 1, 512))),
    ]


def psi_cases():
    out = []
    for name, ref, cur in numeric_pairs():
        edges, r, c = evidently_binned(ref, cur, True)
        out.append({"name": name, "kind": "samples", "reference": [float(a) for a in ref],
                    "current": [float(a) for a in cur], "edges": [float(e) for e in edges], "psi": psi_value(r, c)})
    for name, ref, cur in [
        ("categories", [300, 200, 100, 400], [250, 250, 150, 350]),
        ("category only in one sample each", [300, 200, 0], [0, 250, 150]),
        ("tiny shares use a millionth of the smallest", [1, 99_999, 0], [0, 50_000, 50_000]),
        ("identical", [5, 10, 15], [5, 10, 15]),
    ]:
        r = evidently_fill(np.asarray(ref, dtype=float) / sum(ref))
        c = evidently_fill(np.asarray(cur, dtype=float) / sum(cur))
        out.append({"name": name, "kind": "counts", "reference": ref, "current": cur, "psi": psi_value(r, c)})
    return out


def jensenshannon_cases():
    out = []
    for name, p, q in [
        ("counts", [10, 20, 30, 40], [15, 15, 35, 35]),
        ("proportions with empty bins", [0.5, 0.5, 0.0], [0.0, 0.25, 0.75]),
        ("identical", [1, 2, 3], [2, 4, 6]),
        ("disjoint", [1, 0], [0, 1]),
        ("many bins", list(rng.integers(0, 50, 40)), list(rng.integers(0, 50, 40))),
    ]:
        out.append({"name": name, "kind": "vectors", "p": [float(a) for a in p], "q": [float(a) for a in q],
                    "distance": float(distance.jensenshannon(p, q))})
    for name, ref, cur in numeric_pairs():
        _, r, c = evidently_binned(ref, cur, False)
        out.append({"name": name, "kind": "samples", "reference": [float(a) for a in ref],
                    "current": [float(a) for a in cur], "distance": float(distance.jensenshannon(r, c))})
    return out


def z_cases():
    out = []
    for x1, n1, x2, n2 in [(30, 100, 45, 100), (480, 1000, 520, 1000), (5, 50, 5, 60), (0, 200, 40, 200),
                           (999, 1000, 850, 1000), (100, 100, 100, 100), (3000, 10000, 3100, 10000)]:
        p1, p2 = x1 / n1, x2 / n2
        pooled = (x1 + x2) / (n1 + n2)
        var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        z = 0.0 if var == 0 else (p1 - p2) / math.sqrt(var)
        p = 1.0 if var == 0 else float(2 * stats.norm.sf(abs(z)))
        out.append({"referenceHits": x1, "referenceTotal": n1, "currentHits": x2, "currentTotal": n2,
                    "statistic": z, "pValue": p})
    return out


def fixed_point(x, decimals):
    """Values rounded to `decimals` places, sorted, and their fixed-point form (see the module description)."""
    ints = np.sort(np.round(np.asarray(x, dtype=np.float64) * 10**decimals).astype(np.int64))
    assert np.all(np.abs(ints) < 2**53)
    return ints.astype(np.float64) / float(10**decimals), {"decimals": decimals,
                                                           "deltas": np.diff(ints, prepend=0).tolist()}


def profiled_accuracy_cases():
    """Reference and current samples with every statistic SciPy (or Evidently's formula) gives on the raw values.

    Continuous values keep 5 decimals, so they tie only where data written with 5 decimals would. The large "no
    drift" cases use a seed for which ks_2samp's p-value lies between 0.2 and 0.5, where the issue measured the
    sketched p-values furthest off, and the last case one for which the normed Wasserstein distance lies just below
    Evidently's threshold of 0.1, where the 101-percentile profile read drift; the seed search is part of the case,
    so regenerating gives the same files."""
    g = np.random.default_rng(20261213)

    def t(df, shift=0.0, scale=1.0):
        return lambda r, n: shift + scale * r.standard_t(df, n)

    def poisson(lam):
        return lambda r, n: r.poisson(lam, n).astype(float)

    def integers(low, high):
        return lambda r, n: r.integers(low, high + 1, n).astype(float)

    def normal(mean=0.0, sd=1.0):
        return lambda r, n: r.normal(mean, sd, n)

    def lognormal(mu, sigma):
        return lambda r, n: r.lognormal(mu, sigma, n)

    cases = [
        # (name, kind, reference draw, n, current draw, m, decimals, (statistic, low, high) the seed must give or None)
        ("student-t df=2, large, no drift", "heavy-tailed", t(2), 50_000, t(2), 15_000, 5,
         ("ksPValue", 0.2, 0.5)),
        ("student-t df=3, large, shifted just below the Wasserstein threshold", "heavy-tailed", t(3), 40_000,
         t(3, 0.14), 15_000, 5, None),
        ("student-t df=2, large, scaled", "heavy-tailed", t(2), 20_000, t(2, 0.0, 1.25), 12_000, 5, None),
        ("lognormal sigma=1.5, large, no drift", "heavy-tailed", lognormal(0, 1.5), 20_000, lognormal(0, 1.5),
         12_000, 5, ("ksPValue", 0.2, 0.5)),
        ("poisson 4, large, no drift", "tied integers", poisson(4), 50_000, poisson(4), 20_000, 0,
         ("ksPValue", 0.2, 0.5)),
        ("poisson 4 against 4.1, large", "tied integers", poisson(4), 50_000, poisson(4.1), 20_000, 0, None),
        ("integers 0-9, large, no drift", "tied integers", integers(0, 9), 30_000, integers(0, 9), 20_000, 0,
         ("ksPValue", 0.2, 0.5)),
        ("poisson 60, large, no drift", "tied integers", poisson(60), 40_000, poisson(60), 25_000, 0,
         ("ksPValue", 0.2, 0.5)),
        ("integers 0-1999, large, no drift", "many distinct integers", integers(0, 1999), 30_000, integers(0, 1999),
         20_000, 0, ("ksPValue", 0.2, 0.5)),
        ("normal, large, no drift", "large", normal(), 20_000, normal(), 15_000, 5, ("ksPValue", 0.2, 0.5)),
        ("student-t df=2, medium, no drift", "heavy-tailed", t(2), 5_000, t(2), 3_000, 5, ("ksPValue", 0.2, 0.5)),
        ("poisson 2, medium, shifted", "tied integers", poisson(2), 8_000, poisson(2.1), 5_000, 0, None),
        ("normal, 10,000 each", "large", normal(), 10_000, normal(0.02), 10_000, 5, None),
        ("normal, small", "small", normal(), 30, normal(0.3), 40, 5, None),
        ("student-t df=2, small", "small", t(2), 50, t(2, 0.5), 60, 5, None),
        ("student-t df=3, small, no drift", "small", t(3), 100, t(3), 100, 5, ("ksPValue", 0.2, 0.5)),
        ("poisson 3, small", "small", poisson(3), 40, poisson(3.5), 50, 0, None),
        ("integers 1-5, small", "small", integers(1, 5), 100, integers(1, 5), 80, 0, None),
        ("student-t df=2, 1,000 values (the last exact-KS default)", "small", t(2), 1_000, t(2, 0.1), 800, 5, None),
        ("student-t df=2, large, shifted just below the Wasserstein threshold", "heavy-tailed", t(2), 30_000,
         t(2, 0.25), 12_000, 5, ("wassersteinNormed", 0.097, 0.099)),
    ]
    out = []
    for name, kind, ref_draw, n, cur_draw, m, decimals, wanted in cases:
        while True:
            ref, ref_stored = fixed_point(ref_draw(g, n), decimals)
            cur, cur_stored = fixed_point(cur_draw(g, m), decimals)
            ks = stats.ks_2samp(ref, cur)
            w = stats.wasserstein_distance(ref, cur)
            exact = {"ksPValue": float(ks.pvalue), "wassersteinNormed": float(w / max(np.std(ref), 0.001))}
            if wanted is None or wanted[1] <= exact[wanted[0]] <= wanted[2]:
                break
        _, pr, pc = evidently_binned(ref, cur, True)
        _, jr, jc = evidently_binned(ref, cur, False)
        out.append({"name": name, "kind": kind, "reference": ref_stored, "current": cur_stored,
                    "referenceStd": float(np.std(ref)), "ksStatistic": float(ks.statistic),
                    "ksPValue": exact["ksPValue"], "wasserstein": float(w),
                    "wassersteinNormed": exact["wassersteinNormed"], "psi": psi_value(pr, pc),
                    "jensenShannon": float(distance.jensenshannon(jr, jc))})
    return out


def write_gzipped(name, cases):
    # mtime=0 keeps the file byte-identical between runs
    with open(os.path.join(OUT, name), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(json.dumps({"generator": "generate_drift_fixtures.py", "numpy": np.__version__,
                            "scipy": scipy.__version__, "cases": cases}, separators=(",", ":")).encode())
        f.write(b"\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("ks_2samp.json", ks_cases())
    write("ks_asymptotic.json", ks_asymptotic_cases())
    write("chisquare.json", chi_cases())
    write("wasserstein.json", wasserstein_cases())
    write("psi.json", psi_cases())
    write("jensenshannon.json", jensenshannon_cases())
    write("z_test.json", z_cases())
    write_gzipped("profiled_accuracy.json.gz", profiled_accuracy_cases())
