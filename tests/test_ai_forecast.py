"""Forecasting: Holt-Winters kernel against the textbook recursions, the issue's goals on the
shipped series, intervals and named errors."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.ai import _kernels as K
from workbench.ai.forecast import ForecastError, compare_forecasts, forecast, load_series, mape, rmse, rolling_origin

from . import naive


@pytest.mark.kernel
@pytest.mark.parametrize("trend, seasonal, phi", [(0, 0, 1.0), (1, 0, 1.0), (1, 1, 1.0), (1, 2, 1.0), (1, 1, 0.9)])
def test_holt_winters_kernel_matches_textbook_recursions(trend, seasonal, phi):
    rng = np.random.default_rng(trend * 10 + seasonal)
    m = 4 if seasonal else 1
    y = 50 + np.cumsum(rng.normal(0, 1, 40)) + (np.tile([3.0, -1.0, 2.0, -4.0], 10) if seasonal else 0)
    s0 = (np.array([1.05, 0.97, 1.02, 0.96]) if seasonal == 2 else rng.normal(0, 2, m)) if seasonal else np.zeros(1)
    args = (0.4, 0.2, 0.3, phi, trend, seasonal, y[0], 0.5, s0)
    fitted = np.empty(y.size)
    sse, level, slope, season = K.holt_winters(y, m, *args, fitted)
    f_ref, sse_ref, level_ref, slope_ref, season_ref = naive.holt_winters_naive(y, m, *args)
    np.testing.assert_allclose(fitted, f_ref, rtol=1e-12)
    assert sse == pytest.approx(sse_ref, rel=1e-12) and level == pytest.approx(level_ref, rel=1e-12)
    assert slope == pytest.approx(slope_ref, rel=1e-12, abs=1e-12)
    if seasonal:
        np.testing.assert_allclose(season, season_ref, rtol=1e-12)


def test_shipped_series():
    air, sun = load_series("airpassengers"), load_series("sunspots")
    assert len(air) == 144 and air.sum() == 40363 and str(air.index[0]) == "1949-01"
    assert len(sun) == 309 and sun.index[0] == 1700 and sun.index[-1] == 2008


def test_goal_airpassengers_last_24_months():
    y = load_series("airpassengers").to_numpy()
    df = compare_forecasts(y, 24, methods=("seasonal_naive", "holt_winters"), log=True).set_index("method")
    assert df.loc["holt_winters", "mape"] <= 8.0
    assert df.loc["seasonal_naive", "mape"] == pytest.approx(15.5, abs=0.05)  # the reference figure
    assert df.loc["holt_winters", "interval_coverage"] >= 0.8


def test_goal_sunspots_one_step_rolling_origin():
    y = load_series("sunspots").to_numpy()
    start = 1900 - 1700
    ours = rolling_origin(y, method="ridge", horizon=1, start=start, lags=9, ridge_lambda=3.0)
    assert len(ours) == 109 and rmse(ours.actual, ours.forecast) <= 17.0
    # AR(9) by ordinary least squares (numpy) under the same protocol, the independent reference
    preds = []
    for origin in range(start, y.size):
        tr = y[:origin]
        X = np.column_stack([np.ones(origin - 9)] + [tr[9 - k - 1 : origin - k - 1] for k in range(9)])
        coef = np.linalg.lstsq(X, tr[9:], rcond=None)[0]
        preds.append(coef[0] + y[origin - 9 : origin][::-1] @ coef[1:])
    ar9 = rmse(y[start:], preds)
    near_ols = rolling_origin(y, method="ridge", horizon=1, start=start, lags=9, ridge_lambda=1e-9)
    assert rmse(near_ols.actual, near_ols.forecast) == pytest.approx(ar9, rel=1e-6)
    assert rmse(ours.actual, ours.forecast) < ar9


def test_naive_intervals_and_point_forecasts():
    y = np.array([1.0, 2.0, 4.0, 3.0, 5.0])
    fc = forecast(y, 3, method="naive")
    sigma = np.std(np.diff(y), ddof=1)
    np.testing.assert_allclose(fc.forecast, 5.0)
    np.testing.assert_allclose(fc.upper - fc.forecast, 1.959963984540054 * sigma * np.sqrt([1, 2, 3]))
    sn = forecast(np.arange(8.0), 5, method="seasonal_naive", m=4)
    np.testing.assert_allclose(sn.forecast, [4, 5, 6, 7, 4])
    assert mape([100, 200], [110, 180]) == pytest.approx(10.0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: forecast([1.0, 2.0, 3.0], 2, method="prophet"), "unknown method"),
        (lambda: forecast([1.0, 2.0, 3.0], 0), "horizon"),
        (lambda: forecast([1.0, np.nan, 3.0, 4.0], 2, method="ses"), "NaN"),
        (lambda: forecast(np.arange(10.0), 2, method="holt_winters", m=12), "two full seasons"),
        (lambda: forecast(np.arange(10.0), 2, method="seasonal_naive", m=0), "m must be an integer >= 1"),
        (lambda: load_series("eurostat"), "unknown series"),
        (lambda: rolling_origin(np.arange(10.0), method="naive", start=50), "start"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ForecastError, match=match):
        call()


@pytest.mark.parametrize("seed", range(3))
def test_gru_forecaster_beats_naive_on_airpassengers(seed):
    y = load_series("airpassengers").to_numpy()
    fc = forecast(np.log(y[:-24]), 24, method="gru", m=1, seed=seed)
    naive_mape = mape(y[-24:], np.full(24, y[-25]))
    assert mape(y[-24:], np.exp(fc.forecast)) < naive_mape
    assert fc.fitted["difference_lag"] == 1 and fc.lower.isna().all()
    again = forecast(np.log(y[:-24]), 24, method="gru", m=1, seed=seed)
    np.testing.assert_array_equal(again.forecast, fc.forecast)


def test_holt_winters_interval_widths_follow_the_recursions():
    """The h-step standard error is sigma * sqrt(1 + sum c_j^2) with c_j the response of the forecast at step 1 + j to
    a unit error at step 1. Measure c_j by running the smoothing recursions themselves (a unit impulse against none),
    independently of the closed form the package uses."""
    from workbench.ai.forecast import _smoothing

    y = np.log(load_series("airpassengers").to_numpy()[:120])
    m, h = 12, 30
    point, sd, p = _smoothing(y, h, m, True, 1, 0)
    a, b, g = p["alpha"], p["beta"], p["gamma"]

    def run(impulse):
        level, slope, season = 5.0, 0.01, list(np.linspace(-0.1, 0.1, m))
        out = []
        for t in range(h):
            f = level + slope + season[t % m]
            yt = f + (impulse if t == 0 else 0.0)
            out.append(f)
            new = a * (yt - season[t % m]) + (1 - a) * (level + slope)
            slope = b * (new - level) + (1 - b) * slope
            season[t % m] = g * (yt - new) + (1 - g) * season[t % m]
            level = new
        return np.array(out)

    c = (run(1.0) - run(0.0))[1:]
    want = sd[0] * np.sqrt(1 + np.concatenate([[0.0], np.cumsum(c**2)]))
    np.testing.assert_allclose(sd, want, rtol=1e-9)
    assert g > 0.01  # the seasonal term is exercised
