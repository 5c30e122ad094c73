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
    """Bad input to a forecaster (too short a series, NaN, unknown method, bad horizon).

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`) whose message says what is allowed.

    Examples
    --------
    >>> from workbench.ai import ForecastError, forecast
    >>> try:
    ...     forecast([1.0, 2.0, 3.0], 0, method="naive")
    ... except ForecastError as err:
    ...     print(err)
    horizon must be an integer >= 1 (at most 1000000), got 0
    """


def load_series(name: str) -> pd.Series:
    """A shipped series: ``"airpassengers"`` (monthly, 1949-1960, Box & Jenkins) or ``"sunspots"``
    (yearly sunspot numbers 1700-2008, NGDC, as bundled with statsmodels).

    Parameters
    ----------
    name : {"airpassengers", "sunspots"}
        Which series.

    Returns
    -------
    pandas.Series
        ``"airpassengers"``: 144 monthly totals of international airline passengers (thousands), on a
        monthly :class:`pandas.PeriodIndex`, named ``passengers``. ``"sunspots"``: 309 yearly sunspot
        numbers indexed by the year (int), named ``sunspots``. Values are float64.

    Raises
    ------
    ForecastError
        If ``name`` is not one of the two series.

    Examples
    --------
    >>> from workbench.ai import load_series
    >>> y = load_series("airpassengers")
    >>> len(y), str(y.index[0]), float(y.iloc[0])
    (144, '1949-01', 112.0)
    """
    if name == "airpassengers":
        df = pd.read_csv(data_path("ai", "airpassengers.csv"))
        return pd.Series(df.passengers.to_numpy(float), index=pd.PeriodIndex(df.month, freq="M"), name="passengers")
    if name == "sunspots":
        df = pd.read_csv(data_path("ai", "sunspots.csv"))
        return pd.Series(df.SUNACTIVITY.to_numpy(float), index=df.YEAR.to_numpy(), name="sunspots")
    raise ForecastError(f"unknown series {name!r}; available: 'airpassengers', 'sunspots'")


def mape(actual, predicted) -> float:
    """Mean absolute percentage error, in percent.

    Parameters
    ----------
    actual : array-like of shape (n,)
        Observed values, finite, at least one (a zero makes the error infinite or NaN).
    predicted : array-like of shape (n,)
        Forecasts, finite, the same shape as ``actual``.

    Returns
    -------
    float
        ``100 * mean(|actual - predicted| / |actual|)``.

    Raises
    ------
    ForecastError
        If either array is not 1-D and finite, ``actual`` is empty, or the shapes differ.

    Examples
    --------
    >>> from workbench.ai import mape
    >>> round(mape([100.0, 200.0], [110.0, 190.0]), 6)
    7.5
    """
    a, p = _pair(actual, predicted)
    return float(100 * np.mean(np.abs((a - p) / a)))


def rmse(actual, predicted) -> float:
    """Root mean squared error.

    Parameters
    ----------
    actual : array-like of shape (n,)
        Observed values, finite, at least one.
    predicted : array-like of shape (n,)
        Forecasts, finite, the same shape as ``actual``.

    Returns
    -------
    float
        ``sqrt(mean((actual - predicted) ** 2))``, in the unit of the series.

    Raises
    ------
    ForecastError
        If either array is not 1-D and finite, ``actual`` is empty, or the shapes differ.

    Examples
    --------
    >>> from workbench.ai import rmse
    >>> round(rmse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]), 4)
    1.1547
    """
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
    # h-step variance of the additive innovations model: sigma^2 (1 + sum c_j^2). The kernel updates the season
    # with y_t minus the *new* level (Winters' form), whose innovations-form seasonal weight is gamma (1 - alpha)
    c = alpha * (1 + np.arange(1, h) * beta) + gamma * (1 - alpha) * ((np.arange(1, h) % mm) == 0 if seasonal else 0.0)
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
    ``lower`` and ``upper`` are the table's columns.

    Parameters
    ----------
    method : str
        The forecasting method that ran (one of :data:`FORECASTERS`).
    table : pandas.DataFrame
        One row per step ahead: step (1, 2, ...), forecast, and the lower and upper bounds of the 95%
        prediction interval (NaN where the method has none).
    fitted : dict, optional
        The fitted parameters by name (``alpha``, ``beta``, ``gamma`` for exponential smoothing; ``lags``,
        ``lambda``, ``sigma`` for ridge; ``lags``, ``epochs``, ``difference_lag``, ``final_loss`` for the GRU;
        empty for the baselines). Default: an empty dict.
    params : dict, optional
        The inputs of :func:`forecast` (the series included). Default: an empty dict.

    Examples
    --------
    >>> from workbench.ai import forecast
    >>> fc = forecast([1.0, 2.0, 3.0, 4.0], 2, method="naive")
    >>> fc.method, fc.forecast.tolist(), fc.frames
    ('naive', [4.0, 4.0], ('table', 'fitted_frame'))
    """

    method: str
    table: pd.DataFrame
    fitted: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("table", "fitted_frame")

    @property
    def forecast(self) -> pd.Series:
        """The point forecasts, one per step ahead (the table's ``forecast`` column).

        Returns
        -------
        pandas.Series
            Point forecasts, in the unit of the series.
        """
        return self.table.forecast

    @property
    def lower(self) -> pd.Series:
        """The lower bounds of the 95% prediction interval (the table's ``lower`` column).

        Returns
        -------
        pandas.Series
            One bound per step ahead; NaN where the method has no interval.
        """
        return self.table.lower

    @property
    def upper(self) -> pd.Series:
        """The upper bounds of the 95% prediction interval (the table's ``upper`` column).

        Returns
        -------
        pandas.Series
            One bound per step ahead; NaN where the method has no interval.
        """
        return self.table.upper

    def summary(self) -> pd.DataFrame:
        """One row: method and horizon.

        Returns
        -------
        pandas.DataFrame
            One row with columns ``method`` and ``horizon`` (steps forecast).
        """
        return one_row(method=self.method, horizon=len(self.table))

    def fitted_frame(self) -> pd.DataFrame:
        """The fitted parameters, one row each (parameter, value).

        Returns
        -------
        pandas.DataFrame
            Columns ``parameter`` and ``value`` (the value as a string); no rows for the baselines.
        """
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
) -> ForecastResult:
    """Forecast ``horizon`` steps after the end of ``y``: a :class:`ForecastResult` whose ``table`` is a
    tidy frame with 95% intervals where the method has them (NaN otherwise) and whose ``fitted`` holds
    the fitted parameters.

    Methods: ``naive``, ``seasonal_naive`` (period ``m``), ``moving_average`` (``window``), ``ses``,
    ``holt`` (additive trend), ``holt_winters`` (additive trend and seasonality of period ``m``;
    forecast ``log(y)`` for multiplicative behaviour), ``ridge`` (ridge regression on ``lags`` lags,
    iterated), ``gru`` (a GRU on windows of ``lags`` standardized lag-``m`` differences, iterated;
    ``epochs`` of training; ``m=1`` for plain changes).

    Parameters
    ----------
    y : array-like
        The series (flattened to 1-D), finite numbers, oldest first. Its minimum length depends on the
        method: 2 for ``naive``, ``m + 1`` for ``seasonal_naive``, ``window + 1`` for ``moving_average``,
        3 for the others, ``2 * m`` for ``holt_winters``, more than ``lags + 1`` for ``ridge`` and more
        than ``lags + m + 10`` for ``gru``.
    horizon : int
        Steps to forecast, in [1, 10**6].
    method : str, default "holt_winters"
        The forecaster: ``"naive"``, ``"seasonal_naive"``, ``"moving_average"``, ``"ses"``, ``"holt"``,
        ``"holt_winters"``, ``"ridge"`` or ``"gru"`` (:data:`FORECASTERS`).
    m : int, default 12
        Season length for ``seasonal_naive`` and ``holt_winters``; the difference lag for ``gru``. In
        [1, 10**6].
    window : int, default 3
        Points averaged by ``moving_average``, in [1, 10**6].
    lags : int, default 12
        Lagged values fed to ``ridge`` and ``gru``, in [1, 10**4].
    ridge_lambda : float, default 1.0
        Ridge penalty on the standardized lags, >= 0.
    trend : bool, default True
        Whether ``holt`` and ``holt_winters`` have an additive trend (False: ``holt`` is ``ses``).
    seed : int, default 0
        Seed of the differential evolution that fits the smoothing parameters and of the GRU's training,
        in [0, 2**32); the same seed gives the same forecast.
    epochs : int, default 60
        Training epochs of the ``gru`` forecaster, in [1, 10**6].

    Returns
    -------
    ForecastResult
        ``table`` (step, forecast, lower, upper), the ``forecast``, ``lower`` and ``upper`` columns as
        properties, ``fitted`` (the fitted parameters) and ``params`` (the inputs).

    Raises
    ------
    ForecastError
        If ``method`` is unknown, a parameter is out of range, or the series is not numeric, contains
        NaN or infinity, or is too short for the method.

    See Also
    --------
    rolling_origin : Refit and forecast at many origins.
    compare_forecasts : Hold out the end of a series and score several methods.

    Examples
    --------
    >>> from workbench.ai import forecast
    >>> fc = forecast([3.0, 5.0, 4.0, 6.0, 5.0, 7.0], 2, method="ses")
    >>> fc.forecast.round(2).tolist(), round(float(fc.fitted["alpha"]), 2)
    ([6.36, 6.36], 0.66)
    >>> bool(fc.lower.iloc[0] < fc.forecast.iloc[0] < fc.upper.iloc[0])
    True
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
    ``horizon`` steps; one row per (origin, step) with actual and forecast.

    Parameters
    ----------
    y : array-like
        The series (flattened to 1-D), finite numbers, at least 2 of them.
    method : str
        The forecaster, one of :data:`FORECASTERS` (keyword only, required).
    horizon : int, default 1
        Steps forecast at each origin, in [1, 10**6]; fewer near the end of the series.
    start : int
        The first origin: the number of points the first fit sees, in [2, len(y)) (keyword only,
        required).
    step : int, default 1
        Distance between consecutive origins, >= 1.
    **kwargs
        Passed to :func:`forecast` (``m``, ``lags``, ``seed``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per origin and step: origin, step, actual, forecast, lower, upper.

    Raises
    ------
    ForecastError
        If the series is not numeric and finite, ``start``, ``step`` or ``horizon`` is out of range, or a
        forecast fails (unknown method, a series too short for it).

    Examples
    --------
    >>> from workbench.ai import rolling_origin
    >>> df = rolling_origin([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], method="naive", start=4, horizon=2)
    >>> df[["origin", "step", "actual", "forecast"]].values.tolist()
    [[4.0, 1.0, 5.0, 4.0], [4.0, 2.0, 6.0, 4.0], [5.0, 1.0, 6.0, 5.0]]
    """
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

    Parameters
    ----------
    y : array-like
        The series (flattened to 1-D), finite numbers (positive with ``log``), at least ``test_size + 3``.
    test_size : int
        Points held out at the end and forecast in one go (the horizon), >= 1.
    methods : sequence of str, default FORECASTERS
        The forecasters to compare (see :data:`FORECASTERS`; ``"gru"`` trains a network and is the
        slowest).
    log : bool, default False
        Forecast ``log(y)`` and transform the forecasts and intervals back with ``exp``.
    **kwargs
        Passed to :func:`forecast` for every method (``m``, ``lags``, ``seed``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per method: method, mape (percent), rmse (unit of ``y``), interval_coverage (the fraction
        of held-out points inside the 95% interval; NaN for methods without intervals).

    Raises
    ------
    ForecastError
        If the series is not numeric and finite or is too short, or a forecast fails (unknown method,
        bad parameter).

    Examples
    --------
    >>> from workbench.ai import compare_forecasts, load_series
    >>> df = compare_forecasts(load_series("airpassengers"), 12, methods=("naive", "seasonal_naive"), log=True)
    >>> df.method.tolist(), df.mape.round(1).tolist()
    (['naive', 'seasonal_naive'], [14.3, 10.0])
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
