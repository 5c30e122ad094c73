"""Time-series forecasting: baselines, exponential smoothing (SES, Holt, Holt-Winters) and ridge
regression on lags, with rolling-origin evaluation (MAPE, RMSE) and prediction intervals.

Smoothing parameters are fitted by minimizing the one-step squared error with the lab's own
differential evolution (:func:`workbench.ai.minimize`); the recursions are a numba kernel.
Prediction intervals are the analytic ones of the corresponding additive-error models
(Hyndman et al., *Forecasting with Exponential Smoothing*, 2008, class 1): with ``sigma`` the
residual standard deviation, the h-step variance is ``sigma^2 (1 + sum_{j<h} c_j^2)``.

Examples
--------
>>> y = load_series("airpassengers")
>>> fc = forecast(np.log(y[:-24]), 24, method="holt_winters", m=12)
>>> bool(mape(y[-24:], np.exp(fc.forecast)) < 8)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._data import data_path
from ..errors import Array, Bool, Int, KernelSeed, Real, WorkbenchError, check, checked
from ..results import Result, one_row
from . import _kernels as K
from .optimize import minimize

__all__ = [
    "ForecastError",
    "FORECASTERS",
    "forecast",
    "ForecastResult",
    "rolling_origin",
    "compare_forecasts",
    "mape",
    "rmse",
    "load_series",
]

FORECASTERS = ("naive", "seasonal_naive", "moving_average", "ses", "holt", "holt_winters", "ridge", "gru")
_Z95 = 1.959963984540054


class ForecastError(WorkbenchError):
    """Bad input to a forecaster (too short a series, NaN, unknown method, bad horizon)."""


def load_series(name: str) -> pd.Series:
    """A shipped series: ``"airpassengers"`` (monthly, 1949-1960, Box & Jenkins) or ``"sunspots"``
    (yearly sunspot numbers 1700-2008, NGDC, as bundled with statsmodels)."""
    if name == "airpassengers":
        df = pd.read_csv(data_path("ai", "airpassengers.csv"))
        return pd.Series(df.passengers.to_numpy(float), index=pd.PeriodIndex(df.month, freq="M"), name="passengers")
    if name == "sunspots":
        df = pd.read_csv(data_path("ai", "sunspots.csv"))
        return pd.Series(df.SUNACTIVITY.to_numpy(float), index=df.YEAR.to_numpy(), name="sunspots")
    raise ForecastError(f"unknown series {name!r}; available: 'airpassengers', 'sunspots'")


def mape(actual, predicted) -> float:
    """Mean absolute percentage error, in percent."""
    a, p = _pair(actual, predicted)
    return float(100 * np.mean(np.abs((a - p) / a)))


def rmse(actual, predicted) -> float:
    """Root mean squared error."""
    a, p = _pair(actual, predicted)
    return float(np.sqrt(np.mean((a - p) ** 2)))


def _pair(actual, predicted):
    a = check("actual", actual, Array(ndim=1, min_size=1), ForecastError)
    p = check("predicted", predicted, Array(shape=a.shape), ForecastError)
    return a, p


def _series(y, minimum):
    try:
        y = np.asarray(y, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ForecastError("the series must be numbers (a 1-D array)") from None
    if y.size < minimum:
        raise ForecastError(f"the series needs at least {minimum} points for this method, got {y.size}")
    if not np.isfinite(y).all():
        raise ForecastError("the series contains NaN or infinity")
    return np.ascontiguousarray(y)


def _smoothing(y, h, m, trend, seasonal, seed):
    """Fit (alpha, beta, gamma) by DE on the one-step SSE; return point forecasts and interval widths."""
    n = y.size
    if seasonal:
        if n < 2 * m:
            raise ForecastError(f"Holt-Winters needs two full seasons ({2 * m} points), got {n}")
        l0 = y[:m].mean()
        b0 = (y[m : 2 * m].mean() - y[:m].mean()) / m if trend else 0.0
        s0 = y[:m] - l0
    else:
        l0, b0, s0 = y[0], (y[1] - y[0]) if trend else 0.0, np.zeros(max(m, 1))
    mm = m if seasonal else 1
    fitted = np.empty(n)

    def sse(p):
        return K.holt_winters(
            y,
            mm,
            p[0],
            p[1] if trend else 0.0,
            p[2] if seasonal else 0.0,
            1.0,
            int(trend),
            int(bool(seasonal)),
            l0,
            b0,
            s0,
            fitted,
        )[0]

    bounds = [(0.0, 1.0)] * (1 + int(trend) + int(bool(seasonal)))
    if len(bounds) == 1:
        grid = np.linspace(0.0, 1.0, 1001)
        best = np.array([grid[int(np.argmin([sse(np.array([a, 0.0, 0.0])) for a in grid]))]])
    else:
        best = minimize(sse, bounds, method="de", seed=seed, budget=1500 * len(bounds), pop_size=20, CR=0.9).x
    alpha = best[0]
    beta = best[1] if trend else 0.0
    gamma = best[-1] if seasonal else 0.0
    total, level, slope, season = K.holt_winters(
        y, mm, alpha, beta, gamma, 1.0, int(trend), int(bool(seasonal)), l0, b0, s0, fitted
    )
    steps = np.arange(1, h + 1)
    point = level + steps * slope + (season[(steps - 1) % mm] if seasonal else 0.0)
    sigma = np.sqrt(total / max(n - len(bounds), 1))
    c = alpha * (1 + np.arange(1, h) * beta) + gamma * ((np.arange(1, h) % mm) == 0 if seasonal else 0.0)
    var = sigma**2 * (1 + np.concatenate([[0.0], np.cumsum(c**2)]))
    return point, np.sqrt(var), {"alpha": alpha, "beta": beta, "gamma": gamma}


def _ridge(y, h, lags, lam):
    n = y.size
    if n <= lags + 1:
        raise ForecastError(f"ridge on {lags} lags needs more than {lags + 1} points, got {n}")
    X = np.column_stack([y[lags - k - 1 : n - k - 1] for k in range(lags)])
    t = y[lags:]
    mu, sd = X.mean(0), X.std(0) + 1e-12
    Xs = (X - mu) / sd
    coef = np.linalg.solve(Xs.T @ Xs + lam * np.eye(lags), Xs.T @ (t - t.mean()))
    hist = list(y[-lags:])
    out = []
    for _ in range(h):  # iterated multi-step forecasts
        x = (np.array(hist[::-1][:lags]) - mu) / sd
        out.append(float(t.mean() + x @ coef))
        hist.append(out[-1])
    resid = t - (t.mean() + Xs @ coef)
    return np.array(out), np.full(h, np.nan), {"lags": lags, "lambda": lam, "sigma": float(resid.std())}


def _gru(y, h, lags, seed, epochs, m):
    from .rnn import GRURegressor

    n = y.size
    if n <= lags + m + 10:
        raise ForecastError(f"the GRU forecaster on {lags} lags needs more than {lags + m + 10} points, got {n}")
    d = y[m:] - y[:-m]  # lag-m differences (m = 1: changes; m = season: year-on-year changes)
    mu, sd = d.mean(), d.std() + 1e-12
    z = (d - mu) / sd
    X = np.lib.stride_tricks.sliding_window_view(z[:-1], lags)
    target = z[lags:]
    model = GRURegressor(hidden=16, epochs=epochs, learning_rate=0.01, batch_size=16, random_state=seed).fit(X, target)
    window, hist = list(z[-lags:]), list(y)
    for _ in range(h):  # iterated: each forecast difference feeds the next window
        step = float(model.predict(np.array(window[-lags:])[None, :])[0])
        window.append(step)
        hist.append(hist[-m] + step * sd + mu)
    return (
        np.array(hist[n:]),
        np.full(h, np.nan),
        {"lags": lags, "epochs": epochs, "difference_lag": m, "final_loss": float(model.history_.loss.iat[-1])},
    )


@dataclass
class ForecastResult(Result):
    """A forecast: ``table`` (step, forecast, lower, upper; the 95% band, NaN where the method has none),
    ``fitted`` (the fitted parameters), ``summary()`` one row and ``params`` the inputs. ``forecast``,
    ``lower`` and ``upper`` are the table's columns."""

    method: str
    table: pd.DataFrame
    fitted: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("table", "fitted_frame")

    @property
    def forecast(self) -> pd.Series:
        return self.table.forecast

    @property
    def lower(self) -> pd.Series:
        return self.table.lower

    @property
    def upper(self) -> pd.Series:
        return self.table.upper

    def summary(self) -> pd.DataFrame:
        """One row: method and horizon."""
        return one_row(method=self.method, horizon=len(self.table))

    def fitted_frame(self) -> pd.DataFrame:
        """The fitted parameters, one row each (parameter, value)."""
        return pd.DataFrame({"parameter": list(self.fitted), "value": [str(v) for v in self.fitted.values()]})


@checked(
    ForecastError,
    horizon=Int(1, 10**6),
    m=Int(1, 10**6),
    window=Int(1, 10**6),
    lags=Int(1, 10**4),
    ridge_lambda=Real(0),
    trend=Bool(),
    seed=KernelSeed(),
    epochs=Int(1, 10**6),
)
def forecast(
    y,
    horizon: int,
    *,
    method: str = "holt_winters",
    m: int = 12,
    window: int = 3,
    lags: int = 12,
    ridge_lambda: float = 1.0,
    trend: bool = True,
    seed: int = 0,
    epochs: int = 60,
) -> pd.DataFrame:
    """Forecast ``horizon`` steps after the end of ``y``; tidy frame with 95% intervals where the
    method has them (NaN otherwise); its ``fitted`` holds the fitted parameters (a :class:`ForecastResult`).

    Methods: ``naive``, ``seasonal_naive`` (period ``m``), ``moving_average`` (``window``), ``ses``,
    ``holt`` (additive trend), ``holt_winters`` (additive trend and seasonality of period ``m``;
    forecast ``log(y)`` for multiplicative behaviour), ``ridge`` (ridge regression on ``lags`` lags,
    iterated), ``gru`` (a GRU on windows of ``lags`` standardized lag-``m`` differences, iterated;
    ``epochs`` of training; ``m=1`` for plain changes).
    """
    if method not in FORECASTERS:
        raise ForecastError(f"unknown method {method!r}; choose one of {FORECASTERS}")
    h = horizon
    steps = np.arange(1, h + 1)
    params: dict = {}
    if method == "naive":
        y = _series(y, 2)
        sigma = np.std(np.diff(y), ddof=1)
        point, sd = np.full(h, y[-1]), sigma * np.sqrt(steps)
    elif method == "seasonal_naive":
        y = _series(y, m + 1)
        sigma = np.std(y[m:] - y[:-m], ddof=1)
        point, sd = y[-m:][(steps - 1) % m], sigma * np.sqrt((steps - 1) // m + 1)
    elif method == "moving_average":
        y = _series(y, window + 1)
        point, sd = np.full(h, y[-window:].mean()), np.full(h, np.nan)
    elif method in ("ses", "holt", "holt_winters"):
        y = _series(y, 3)
        point, sd, params = _smoothing(y, h, m, method != "ses" and trend, m if method == "holt_winters" else 0, seed)
    elif method == "ridge":
        y = _series(y, 3)
        point, sd, params = _ridge(y, h, lags, ridge_lambda)
    else:
        y = _series(y, 3)
        point, sd, params = _gru(y, h, lags, seed, epochs, m)
    frame = pd.DataFrame({"step": steps, "forecast": point, "lower": point - _Z95 * sd, "upper": point + _Z95 * sd})
    return ForecastResult(
        method,
        frame,
        params,
        {
            "y": y,
            "horizon": horizon,
            "method": method,
            "m": m,
            "window": window,
            "lags": lags,
            "ridge_lambda": ridge_lambda,
            "trend": trend,
            "seed": seed,
            "epochs": epochs,
        },
    )


@checked(ForecastError, horizon=Int(1, 10**6), start=Int(2, 2**62), step=Int(1, 2**62))
def rolling_origin(y, *, method: str, horizon: int = 1, start: int, step: int = 1, **kwargs) -> pd.DataFrame:
    """Refit at every origin ``start, start + step, ...`` on all data before it and forecast
    ``horizon`` steps; one row per (origin, step) with actual and forecast."""
    y = _series(y, 2)
    if not 2 <= start < y.size:
        raise ForecastError(f"start must be in [2, {y.size}), got {start}")
    rows = []
    for origin in range(start, y.size, step):
        h = min(horizon, y.size - origin)
        fc = forecast(y[:origin], h, method=method, **kwargs)
        for r in fc.table.itertuples():
            rows.append(
                {
                    "origin": origin,
                    "step": r.step,
                    "actual": y[origin + r.step - 1],
                    "forecast": r.forecast,
                    "lower": r.lower,
                    "upper": r.upper,
                }
            )
    return pd.DataFrame(rows)


def compare_forecasts(y, test_size: int, methods=FORECASTERS, *, log: bool = False, **kwargs) -> pd.DataFrame:
    """Forecast the last ``test_size`` points from the rest with each method: MAPE and RMSE, tidy.

    With ``log`` the methods see ``log(y)`` and forecasts are transformed back.
    """
    y = _series(y, test_size + 3)
    train, test = y[:-test_size], y[-test_size:]
    rows = []
    for meth in methods:
        fc = forecast(np.log(train) if log else train, test_size, method=meth, **kwargs)
        pred = np.exp(fc.forecast) if log else fc.forecast
        inside = (test >= (np.exp(fc.lower) if log else fc.lower)) & (test <= (np.exp(fc.upper) if log else fc.upper))
        rows.append(
            {
                "method": meth,
                "mape": mape(test, pred),
                "rmse": rmse(test, pred),
                "interval_coverage": float(inside.mean()) if fc.lower.notna().all() else np.nan,
            }
        )
    return pd.DataFrame(rows)
