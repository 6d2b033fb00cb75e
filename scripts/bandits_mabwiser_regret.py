#!/usr/bin/env python3
"""Reference regret of MABWiser's ThompsonSampling on the batched Bernoulli environment
that Tests/BanditsTests/RegretTests.swift compares abctl's Thompson policy against, and of
MABWiser's UCB1, EpsilonGreedy and Softmax for the table in docs/bandits.md (--policy).
MABWiser has no burn-in, floor, change limit or control share, so its figures compare with
`abctl simulate-bandit --no-constraints`.

Environment: Bernoulli arms with true means 0.04, 0.05, 0.06; 100,000 decisions; the
policy is updated every 1,000 decisions (batched); the first batch is drawn with equal
weights (each decision picks an arm uniformly at random), every later batch from
MABWiser's `predict` (one posterior draw per decision, as MABWiser does). Regret is the
pseudo-regret sum over decisions of (best mean - chosen arm's mean), the same definition
as abctl's simulator. Prints the mean final cumulative regret over the seeds, its
standard error, and the mean regret after each batch (CSV) when --curve is given.

    pip install mabwiser            # 2.7.4 when the figure was taken
    python3 scripts/bandits_mabwiser_regret.py --seeds 200
    python3 scripts/bandits_mabwiser_regret.py --seeds 200 --policy ucb1 --alpha 1.4142135623730951
    python3 scripts/bandits_mabwiser_regret.py --seeds 200 --policy epsilon_greedy --epsilon 0.1
    python3 scripts/bandits_mabwiser_regret.py --seeds 200 --policy softmax --tau 0.1
"""
import argparse

from importlib.metadata import version
import numpy as np
from mabwiser.mab import MAB, LearningPolicy


def learning_policy(args):
    """MABWiser's policy for --policy, with abctl's parameter names mapped to MABWiser's."""
    if args.policy == "thompson":
        return LearningPolicy.ThompsonSampling()
    if args.policy == "ucb1":  # mean + alpha * sqrt(2 ln N / n), abctl's exploration c
        return LearningPolicy.UCB1(alpha=args.alpha)
    if args.policy == "epsilon_greedy":
        return LearningPolicy.EpsilonGreedy(epsilon=args.epsilon)
    if args.policy == "softmax":  # P(arm) proportional to exp(mean / tau), abctl's temperature
        return LearningPolicy.Softmax(tau=args.tau)
    raise SystemExit(f"unknown --policy {args.policy}")


def run(seed, means, decisions, batch, policy):
    rng = np.random.default_rng(seed)
    arms = list(range(len(means)))
    best = max(means)
    gaps = np.array([best - m for m in means])
    mab = MAB(arms=arms, learning_policy=policy, seed=seed)
    regret = 0.0
    curve = []
    for start in range(0, decisions, batch):
        size = min(batch, decisions - start)
        if start == 0:
            chosen = rng.integers(0, len(arms), size=size)
        else:
            chosen = np.asarray(mab.predict(contexts=np.zeros((size, 1))))
        rewards = (rng.random(size) < np.asarray(means)[chosen]).astype(int)
        if start == 0:
            mab.fit(decisions=chosen, rewards=rewards)
        else:
            mab.partial_fit(decisions=chosen, rewards=rewards)
        regret += gaps[chosen].sum()
        curve.append(regret)
    return np.array(curve)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arms", default="0.04,0.05,0.06")
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--curve", action="store_true")
    parser.add_argument("--policy", default="thompson", choices=["thompson", "ucb1", "epsilon_greedy", "softmax"])
    parser.add_argument("--alpha", type=float, default=2 ** 0.5, help="UCB1's exploration (abctl's spec default sqrt 2)")
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--tau", type=float, default=0.1, help="Softmax temperature (abctl's spec default 0.1)")
    args = parser.parse_args()
    means = [float(x) for x in args.arms.split(",")]
    curves = np.array([run(seed, means, args.decisions, args.batch, learning_policy(args)) for seed in range(args.seeds)])
    final = curves[:, -1]
    print(f"mabwiser {version('mabwiser')}, {args.policy}")
    print(f"mean final cumulative regret over {args.seeds} seeds: {final.mean():.2f} (SE {final.std(ddof=1) / np.sqrt(len(final)):.2f})")
    if args.curve:
        print("decisions,mean_regret")
        for i, value in enumerate(curves.mean(axis=0)):
            print(f"{min((i + 1) * args.batch, args.decisions)},{value:.3f}")


if __name__ == "__main__":
    main()
