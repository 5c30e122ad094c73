"""Double spend and selfish mining against the published tables and closed forms."""

import math

import pytest

from workbench.chain.attacks import (
    double_spend_table,
    exact_double_spend_probability,
    nakamoto_probability,
    selfish_revenue,
    selfish_threshold,
    simulate_double_spend,
    simulate_selfish_mining,
)
from workbench.errors import WorkbenchError

# Nakamoto 2008, section 11 (the whitepaper prints 7 decimals)
WHITEPAPER = {
    0.1: {
        0: 1.0,
        1: 0.2045873,
        2: 0.0509779,
        3: 0.0131722,
        4: 0.0034552,
        5: 0.0009137,
        6: 0.0002428,
        7: 0.0000647,
        8: 0.0000173,
        9: 0.0000046,
        10: 0.0000012,
    },
    0.3: {
        0: 1.0,
        5: 0.1773523,
        10: 0.0416605,
        15: 0.0101008,
        20: 0.0024804,
        25: 0.0006132,
        30: 0.0001522,
        35: 0.0000379,
        40: 0.0000095,
        45: 0.0000024,
        50: 0.0000006,
    },
}


@pytest.mark.parametrize("q", [0.1, 0.3])
def test_whitepaper_table_to_seven_decimals(q):
    for z, want in WHITEPAPER[q].items():
        assert round(nakamoto_probability(q, z), 7) == want, (q, z)


def test_exact_probability_exceeds_nakamoto_and_matches_a_direct_sum():
    for q in (0.1, 0.2, 0.3, 0.45):
        p = 1 - q
        for z in range(1, 12):
            exact = exact_double_spend_probability(q, z)
            if z >= 3 and q <= 0.3:
                assert exact > nakamoto_probability(q, z)
            # direct sum over the attacker's block count k when the honest chain makes z blocks
            # (negative binomial), then catch up from z - k behind with probability (q/p)^(z-k)
            direct = 0.0
            for k in range(0, 400):
                nb = math.comb(k + z - 1, k) * p**z * q**k
                direct += nb * (1.0 if k >= z else (q / p) ** (z - k))
            assert exact == pytest.approx(direct, rel=1e-9, abs=1e-15)
    assert exact_double_spend_probability(0.5, 3) == 1.0 == nakamoto_probability(0.6, 3)
    table = double_spend_table()
    assert list(table.columns) == ["q", "z", "nakamoto", "exact"] and len(table) == 22


@pytest.mark.parametrize("bad", [(-0.1, 1), (1.5, 1), (0.1, -1), (0.1, 1.5), (float("nan"), 1)])
def test_double_spend_bad_input(bad):
    with pytest.raises(WorkbenchError):
        nakamoto_probability(*bad)


def test_selfish_mining_closed_form_and_threshold():
    # gamma = 0: fair exactly at 1/3; gamma = 1: every share profits; gamma = 1/2: 1/4
    for g, want in ((0.0, 1 / 3), (0.5, 0.25), (1.0, 0.0)):
        t = selfish_threshold(g)
        assert t == pytest.approx(want)
        for a in (0.25, 0.3, 1 / 3, 0.4, 0.45):
            r = selfish_revenue(a, g)
            assert 0 <= r <= 1
            if a > t + 1e-12:
                assert r > a
            elif a < t - 1e-12:
                assert r < a
    assert selfish_revenue(1 / 3, 0.0) == pytest.approx(1 / 3)
    with pytest.raises(WorkbenchError, match="alpha"):
        selfish_revenue(0.6, 0.5)
    with pytest.raises(WorkbenchError, match="gamma"):
        selfish_threshold(1.5)


@pytest.mark.kernel
def test_selfish_kernel_conserves_blocks_and_is_seeded():
    import numpy as np

    from workbench.chain._kernels import selfish_mining_run

    rng = np.random.default_rng(3)
    for alpha, gamma in ((0.0, 0.5), (0.3, 0.0), (0.45, 1.0), (0.2, 0.5)):
        u, v = rng.random(3000), rng.random(3000)
        pool, honest, orphans = selfish_mining_run(u, v, alpha, gamma)
        assert pool + honest + orphans in (3000, 2998)  # a race still open at the end holds 2
        if alpha == 0.0:
            assert (pool, honest, orphans) == (0, 3000, 0)
    a = simulate_selfish_mining([0.3, 0.4], [0.5], events=5000, seed=9)
    b = simulate_selfish_mining([0.3, 0.4], [0.5], events=5000, seed=9)
    assert a.equals(b) and len(a) == 2


def test_selfish_simulation_within_one_percent_of_closed_form():
    grid = simulate_selfish_mining([0.25, 0.3, 1 / 3, 0.4, 0.45], [0.0, 0.5, 1.0], events=1_000_000, seed=0)
    rel = (grid.revenue / grid.closed_form - 1).abs()
    assert len(grid) == 15 and rel.max() < 0.01, grid


def test_selfish_threshold_located_by_simulation():
    import numpy as np

    for gamma in (0.0, 0.5):
        alphas = np.round(np.arange(0.15, 0.40, 0.01), 2)
        df = simulate_selfish_mining(alphas, [gamma], events=1_000_000, seed=4)
        profitable = df.alpha[df.revenue > df.alpha]
        found = profitable.min()
        assert abs(found - selfish_threshold(gamma)) <= 0.01 + 1e-9, (gamma, found)
    with pytest.raises(WorkbenchError, match="events"):
        simulate_selfish_mining(0.3, 0.5, events=0)


@pytest.mark.kernel
def test_double_spend_kernel_small_cases():
    from workbench.chain._kernels import double_spend_race

    assert double_spend_race(0.2, 0, 100, 1, 200) == 100  # no confirmations: always wins
    assert double_spend_race(0.0, 3, 100, 1, 200) == 0
    a = simulate_double_spend(0.2, [1, 2], trials=2000, seed=5)
    assert a.equals(simulate_double_spend(0.2, [1, 2], trials=2000, seed=5))
    with pytest.raises(WorkbenchError):
        simulate_double_spend(0.6, 2)


def test_monte_carlo_sides_with_the_exact_probability():
    df = simulate_double_spend([0.1, 0.3], [3, 5, 8], trials=200_000, seed=11)
    for row in df.itertuples():
        assert abs(row.simulated - row.exact) < 4 * row.stderr, row
        if (row.q == 0.1 and row.z <= 5) or (row.q == 0.3 and row.z >= 5):
            assert row.simulated - row.nakamoto > 4 * row.stderr, row  # Nakamoto underestimates
