"""Reference values for LinearAlgebraTests.cgStepsMatchImplicit.

implicit 0.7.3's pure-Python conjugate-gradient row solver
(implicit.cpu.als.least_squares_cg, the algorithm of its Cython solver) run for 2 steps,
fewer than the 4 factors, so the intermediate CG iterate is compared, not just the solution.
implicit reads the confidence c straight from the matrix; abctl computes c = 1 + alpha*r,
so the matrix here holds 1 + alpha*r with alpha = 2.
Usage: python3 scripts/strategies_implicit_reference.py
"""

import numpy as np
import scipy.sparse as sp
from implicit.cpu.als import least_squares_cg

f, items, users, alpha, regularization = 4, 6, 3, 2.0, 0.1
Y = np.array([[((i * 7 + d * 3) % 11 - 5) / 10 for d in range(f)] for i in range(items)], dtype=np.float64)
X = np.array([[0.01 * ((u * 5 + d) % 7) / 7 for d in range(f)] for u in range(users)], dtype=np.float64)
r = {(0, 1): 1.0, (0, 4): 3.0, (1, 0): 2.0, (1, 2): 1.0, (1, 5): 1.0, (2, 3): 1.0}
rows, cols = zip(*r.keys())
C = sp.csr_matrix((np.array([1 + alpha * v for v in r.values()]), (rows, cols)), shape=(users, items))
least_squares_cg(C, X, Y, regularization, cg_steps=2)
for u in range(users):
    print("[" + ", ".join(f"{v:.7f}" for v in X[u]) + "],")
