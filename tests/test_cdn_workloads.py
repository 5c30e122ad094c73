"""Hourly PoP traffic: the daily rhythm in local time, weekends, growth, seeds and errors."""

import numpy as np
import pandas as pd
import pytest

from workbench import cdn
from workbench.errors import WorkbenchError


def test_diurnal_traffic_peaks_in_the_local_evening_and_on_weekends():
    pops = cdn.load_pops("aws")
    sel = pops[pops.code.isin(["FRA", "NRT", "SEA"])]
    df = cdn.diurnal_traffic(sel, hours=24 * 28, noise=0.0, growth_per_week=0.0, weekend=1.0, seed=1)
    assert list(df.columns) == ["time", "hour", "pop", "rps"] and len(df) == 3 * 24 * 28
    for code, lon in zip(sel.code, sel.lon):
        y = df[df["pop"] == code].rps.to_numpy()
        peak_utc = int(np.argmax(y[:24]))
        local = (peak_utc + lon / 15.0) % 24
        assert abs(local - 21.0) <= 0.5 + 1e-9  # the evening peak, in solar time
        assert y.min() / y.max() == pytest.approx(0.25, abs=0.01)  # the trough share
        assert np.allclose(y[:24], y[24:48])  # no noise, no weekend, no growth: the same every day
    w = cdn.diurnal_traffic(sel.iloc[:1], hours=24 * 14, noise=0.0, growth_per_week=0.0, weekend=1.3, seed=1)
    frankfurt = w.set_index("time").rps
    local_day = (frankfurt.index + pd.to_timedelta(sel.lon.iloc[0] / 15.0, unit="h")).day_of_week
    daily = frankfurt.groupby(local_day).mean()
    assert daily[5] / daily[2] == pytest.approx(1.3, rel=0.05) and daily[6] / daily[0] == pytest.approx(1.3, rel=0.05)
    g = cdn.diurnal_traffic(sel.iloc[:1], hours=24 * 21, noise=0.0, weekend=1.0, growth_per_week=0.1, seed=1).rps
    assert g.iloc[-1] / g.iloc[-1 - 168] == pytest.approx(1.1)


def test_diurnal_traffic_is_seeded_and_checks_its_input():
    pops = cdn.load_pops("aws").iloc[:2]
    a = cdn.diurnal_traffic(pops, hours=100, seed=3)
    assert a.equals(cdn.diurnal_traffic(pops, hours=100, seed=3))
    assert not a.equals(cdn.diurnal_traffic(pops, hours=100, seed=4))
    assert (a.rps > 0).all()
    with pytest.raises(WorkbenchError, match="hours must be an integer >= 1"):
        cdn.diurnal_traffic(pops, hours=0)
    with pytest.raises(WorkbenchError, match="trough_share"):
        cdn.diurnal_traffic(pops, trough_share=1.5)
    with pytest.raises(WorkbenchError, match="'code' and 'lon'"):
        cdn.diurnal_traffic(pops.drop(columns="lon"))
