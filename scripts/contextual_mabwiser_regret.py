#!/usr/bin/env python3
"""Regret of MABWiser's LinUCB and LinTS beside abctl's linucb and linear_thompson, on the same
simulated users in the same run (the table in docs/bandits.md, "Contextual regret").

For each run s, `abctl simulate-contextual --seeds 1 --seed s --write-environment F` simulates
abctl's policies and writes the users it faced (context x = (1, mobile, tenure), each arm's
true click probability, and the uniform that decides the click); MABWiser's policies then face
exactly those decisions: frozen within a batch, refitted with the batch's clicks after it
(`partial_fit`), ridge l2_lambda = 1 as abctl's prior. MABWiser cannot predict before its first
fit, so its first batch is drawn uniformly at random (abctl's prior ties all arms, which is
also a uniform choice). Regret is the sum over decisions of (best mean - chosen arm's mean).

    pip install --break-system-packages mabwiser     # 2.7.4 when the figure was taken
    python3 scripts/contextual_mabwiser_regret.py --abctl .build/release/abctl --seeds 20
"""
import argparse
import csv
import os
import subprocess
import tempfile
from importlib.metadata import version

import numpy as np
from mabwiser.mab import MAB, LearningPolicy


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    header, data = rows[0], np.array(rows[1:], dtype=float)
    means = [i for i, name in enumerate(header) if name.startswith("mean_")]
    context = [i for i, name in enumerate(header) if not name.startswith("mean_") and name != "uniform"]
    return data[:, context], data[:, means], data[:, header.index("uniform")]


def run(policy, contexts, means, uniforms, batch, seed):
    arms = list(range(means.shape[1]))
    rng = np.random.default_rng(seed)
    mab = MAB(arms=arms, learning_policy=policy, seed=seed)
    regret = 0.0
    for start in range(0, len(contexts), batch):
        end = min(start + batch, len(contexts))
        x = contexts[start:end]
        if start == 0:
            chosen = rng.integers(0, len(arms), size=end - start)
        else:
            chosen = np.asarray(mab.predict(contexts=x)).reshape(-1)
        m = means[start:end]
        picked = m[np.arange(end - start), chosen]
        rewards = (uniforms[start:end] < picked).astype(int)
        regret += (m.max(axis=1) - picked).sum()
        if start == 0:
            mab.fit(decisions=chosen, rewards=rewards, contexts=x)
        else:
            mab.partial_fit(decisions=chosen, rewards=rewards, contexts=x)
    return regret


def numpy_lints(contexts, means, uniforms, batch, seed):
    """Textbook linear Thompson sampling (independent draws per arm, ridge lambda 1, v = 1),
    frozen within a batch as above: the check that MABWiser's LinTS figure is MABWiser's own."""
    rng = np.random.default_rng(seed)
    arms, d = means.shape[1], contexts.shape[1]
    a_matrices = [np.eye(d) for _ in range(arms)]
    b_vectors = [np.zeros(d) for _ in range(arms)]
    regret = 0.0
    for start in range(0, len(contexts), batch):
        end = min(start + batch, len(contexts))
        x = contexts[start:end]
        inverses = [np.linalg.inv(a) for a in a_matrices]
        mean = np.stack([x @ (inv @ b) for inv, b in zip(inverses, b_vectors)], 1)
        sd = np.sqrt(np.stack([np.einsum("ij,jk,ik->i", x, inv, x) for inv in inverses], 1))
        chosen = (mean + sd * rng.standard_normal(mean.shape)).argmax(1)
        m = means[start:end]
        picked = m[np.arange(end - start), chosen]
        rewards = (uniforms[start:end] < picked).astype(float)
        regret += (m.max(axis=1) - picked).sum()
        for i, arm in enumerate(chosen):
            a_matrices[arm] += np.outer(x[i], x[i])
            b_vectors[arm] += rewards[i] * x[i]
    return regret


def lints_draw_correlation(seed=1):
    """The correlation between two arms' LinTS scores for one context over 20,000 draws after a
    random fit: independent Thompson draws (Agrawal and Goyal; abctl) give about 0; MABWiser's
    arms share one random stream, which makes their draws nearly identical."""
    rng = np.random.default_rng(0)
    x = np.c_[np.ones(200), rng.integers(0, 2, 200), rng.random(200)]
    mab = MAB(arms=[0, 1, 2], learning_policy=LearningPolicy.LinTS(alpha=1.0, l2_lambda=1.0), seed=seed)
    mab.fit(decisions=rng.integers(0, 3, 200), rewards=rng.integers(0, 2, 200), contexts=x)
    draws = mab.predict_expectations(contexts=np.array([[1, 1, 0.3]] * 20_000))
    scores = np.array([[d[a] for a in [0, 1, 2]] for d in draws])
    return np.corrcoef(scores[:, 0], scores[:, 1])[0, 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--abctl", default=".build/release/abctl")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--alpha", type=float, default=1.0, help="LinUCB width and LinTS posterior scale (numpy LinTS: 1)")
    args = parser.parse_args()
    results = {
        name: [] for name in ["abctl linucb", "abctl linear_thompson", "mabwiser LinUCB", "mabwiser LinTS", "numpy LinTS", "best single arm"]
    }
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "environment.csv")
        for s in range(args.seeds):
            out = subprocess.run(
                [args.abctl, "simulate-contextual", "--seeds", "1", "--seed", str(s), "--decisions", str(args.decisions),
                 "--batch", str(args.batch), "--alpha", str(args.alpha), "--posterior-scale", str(args.alpha),
                 "--write-environment", path],
                check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()
            for line in out[1:]:
                name, regret = line.split(",")[:2]
                results["abctl " + name if name != "best single arm" else name].append(float(regret))
            contexts, means, uniforms = load(path)
            results["mabwiser LinUCB"].append(run(LearningPolicy.LinUCB(alpha=args.alpha, l2_lambda=1.0), contexts, means, uniforms, args.batch, s))
            results["mabwiser LinTS"].append(run(LearningPolicy.LinTS(alpha=args.alpha, l2_lambda=1.0), contexts, means, uniforms, args.batch, s))
            results["numpy LinTS"].append(numpy_lints(contexts, means, uniforms, args.batch, s))
    print(f"mabwiser {version('mabwiser')}; {args.seeds} runs of {args.decisions} decisions, batch {args.batch}, alpha {args.alpha}")
    print("| policy | mean final regret | SE |")
    print("|---|---|---|")
    for name, values in results.items():
        v = np.array(values)
        print(f"| {name} | {v.mean():.1f} | {v.std(ddof=1) / np.sqrt(len(v)):.1f} |")
    print(f"correlation of two arms' MABWiser LinTS draws for one context: {lints_draw_correlation():.4f}")


if __name__ == "__main__":
    main()
