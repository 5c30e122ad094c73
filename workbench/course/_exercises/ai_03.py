"""Checks of lesson ai.03, forecasting."""

from __future__ import annotations

import numpy as np

from ..checks import close, right, wrong


def _air():
    import pandas as pd

    from ... import data_path

    return pd.read_csv(data_path("ai", "airpassengers.csv")).passengers.to_numpy(float)


def ex1(answer):
    y = _air()
    # February 1962 is 14 months after December 1960; the last observed February is February 1960
    want = y[(1960 - 1949) * 12 + 1]
    fb = close(answer, want, atol=1e-9, what="a number of passengers (thousands)")
    if not fb.ok and isinstance(answer, (int, float, np.floating)):
        if np.isclose(answer, y[(1960 - 1949) * 12]):
            return wrong("that is January 1960: count the months from December 1960 again")
        if np.isclose(answer, y[-1]):
            return wrong("that is the naive forecast (the last value), not the same month of the last year")
    return fb


def ex2(answer, holdout=24):
    y = _air()
    train, test = y[:-holdout], y[-holdout:]
    want = 100 * np.mean(np.abs(test - train[-1]) / test)
    fb = close(answer, want, rtol=1e-6, what="a percentage")
    if not fb.ok and isinstance(answer, (int, float, np.floating)) and np.isclose(answer, want / 100):
        return wrong("MAPE is in percent: multiply the mean relative error by 100")
    return fb


def _ses(series, alpha):
    level = series[0]
    for obs in series:
        level = alpha * obs + (1 - alpha) * level
    return level


def ex3(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function ses_level(series, alpha), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for alpha in (0.1, 0.5, 0.9):
        series = rng.normal(10, 2, 30)
        got = answer(series.copy(), alpha)
        try:
            got = float(got)
        except (TypeError, ValueError):
            return wrong("ses_level should return one number, the final level")
        want = _ses(series, alpha)
        if np.isclose(got, want):
            continue
        if np.isclose(got, _ses(series, 1 - alpha)):
            return wrong("alpha is the weight of the new observation, 1 - alpha that of the old level")
        return wrong(f"the final level differs from the reference for alpha = {alpha}")
    return right()


def _hw_point(level, slope, last, h):
    m = len(last)
    return level + h * slope + last[(h - 1) % m]


def ex4(answer, seed=0):
    if not callable(answer):
        return wrong(
            f"the answer should be a function hw_point(level, slope, last_season, h), got {type(answer).__name__}"
        )
    rng = np.random.default_rng(seed)
    for m in (4, 12):
        last = rng.normal(size=m)
        level, slope = 5.0, 0.3
        for h in (1, 2, m - 1, m, m + 1, 2 * m, 2 * m + 3, 3 * m + 1):
            want = _hw_point(level, slope, last, h)
            got = float(answer(level, slope, last.copy(), h))
            if np.isclose(got, want):
                continue
            if np.isclose(got, level + slope + last[(h - 1) % m]):
                return wrong("the trend is added h times: h * slope")
            if h <= m:
                return wrong(f"wrong seasonal offset already for h = {h} <= m = {m}")
            return wrong(f"right for horizons up to m, wrong for h = {h}: which season is the last observed one?")
    return right("right for horizons within and beyond one season")


def ex5(answer):
    from ...ai import forecast

    if not callable(answer):
        return wrong(f"the answer should be a function holt(series, alpha, beta, horizon), got {type(answer).__name__}")
    for series in (np.log(_air()[:60]), np.random.default_rng(1).normal(0, 1, 40).cumsum() + 20):
        fc = forecast(series, 10, method="holt")
        a, b = float(fc.fitted["alpha"]), float(fc.fitted["beta"])
        got = np.asarray(answer(series.copy(), a, b, 10), float).reshape(-1)
        if got.shape != (10,):
            return wrong(f"holt should return horizon = 10 forecasts, not shape {got.shape}")
        if not np.allclose(got, fc.forecast.to_numpy(), atol=1e-8):
            if np.allclose(np.diff(got), 0):
                return wrong("the forecasts are flat: the trend b_n should be added h times")
            return wrong("the forecasts differ from the package's Holt method with the same rates")
    return right("it matches the package's Holt forecasts")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    y = _air()

    def swapped(series, alpha):
        return _ses(series, 1 - alpha)

    def wrong_season(level, slope, last, h):
        return level + h * slope + last[h % len(last)]

    def no_k(level, slope, last, h):
        return level + h * slope + last[h - len(last) - 1]

    def flat(series, alpha, beta, horizon):
        return np.full(horizon, series[-1])

    def start_late(series, alpha, beta, horizon):
        level, slope = series[1], series[1] - series[0]
        for obs in series[2:]:
            new = alpha * obs + (1 - alpha) * (level + slope)
            slope = beta * (new - level) + (1 - beta) * slope
            level = new
        return level + np.arange(1, horizon + 1) * slope

    return {
        1: [(y[-12], {}), (y[-1], {}), (y[-10], {})],
        2: [(0.2358, {"holdout": 24}), (12.0, {"holdout": 24}), ("23", {"holdout": 24})],
        3: [(swapped, {}), (lambda s, a: float(np.mean(s)), {}), (1.0, {})],
        4: [(wrong_season, {}), (no_k, {}), (lambda level, slope, last, h: level, {})],
        5: [(flat, {}), (start_late, {}), ("holt", {})],
    }


WRONG = _wrong_examples
