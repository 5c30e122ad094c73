"""Real CDN points of presence and client populations (shipped data, no downloads)."""

from __future__ import annotations

import functools

import numpy as np

from .._data import data_path
from ..errors import UnknownNameError, WorkbenchError, unknown_name

__all__ = ["PROVIDERS", "load_pops", "load_cities", "pop_by_code"]

#: Shipped PoP lists: provider -> (file, code column, lat column, lon column).
PROVIDERS = {
    "cloudflare": ("cloudflare-colos.csv", "colo", "lat", "lon"),
    "aws": ("aws-edge-locations.csv", "code", "latitude", "longitude"),
}


#: Regions the lists leave empty: AWS prices Israel and Saudi Arabia in "Middle East" and South
#: Korea in the Asia-Pacific group whose name lists it.
REGION_FIXES = {
    "aws": {
        "JED": "Middle East",
        "TLV": "Middle East",
        "ICN": "Hong Kong, Indonesia, Philippines, Singapore, South Korea, Taiwan, & Thailand",
    }
}


@functools.lru_cache(maxsize=4)
def _load(provider: str):
    import pandas as pd

    fname, code, lat, lon = PROVIDERS[provider]
    raw = pd.read_csv(data_path("pops", fname), keep_default_na=False, na_values=[""])
    df = pd.DataFrame(
        {
            "code": raw[code].astype(str),
            "city": raw["city"].astype(str),
            "country": (raw["cca2"] if "cca2" in raw else raw["country_code"]).astype(str),
            "region": (raw["region"] if "region" in raw else raw["pricing_region"]).astype(str),
            "lat": pd.to_numeric(raw[lat]),
            "lon": pd.to_numeric(raw[lon]),
        }
    )
    for code_, region in REGION_FIXES.get(provider, {}).items():
        df.loc[(df.code == code_).to_numpy() & df.region.isna().to_numpy(), "region"] = region
    if df.region.isna().any():  # pragma: no cover - the shipped data has none left
        raise WorkbenchError(f"{provider} PoPs without a region: {df.code[df.region.isna()].tolist()}")
    df["coords_source"] = np.where(df.lat.notna() & df.lon.notna(), "list", "")
    fixes = pd.read_csv(data_path("pops", "pop-coordinate-fixes.csv"))
    fixes = fixes[fixes.provider == provider].set_index("code")
    hit = df.code.isin(fixes.index).to_numpy()
    if hit.any():
        df.loc[hit, "lat"] = df.loc[hit, "code"].map(fixes.lat).to_numpy()
        df.loc[hit, "lon"] = df.loc[hit, "code"].map(fixes.lon).to_numpy()
        df.loc[hit, "coords_source"] = ("fix: " + df.loc[hit, "code"].map(fixes.source)).to_numpy()
    missing = df[df.lat.isna() | df.lon.isna()]
    if len(missing):  # pragma: no cover - the shipped data has none
        raise WorkbenchError(f"{provider} PoPs without coordinates: {missing.code.tolist()}")
    df.insert(0, "provider", provider)
    return df.reset_index(drop=True)


def load_pops(provider: str = "cloudflare"):
    """Points of presence of a real CDN, one row per PoP.

    Parameters
    ----------
    provider : {"cloudflare", "aws"}, default "cloudflare"
        Cloudflare's data-center colos (339) or Amazon CloudFront's edge metros (107);
        case-insensitive.

    Returns
    -------
    pandas.DataFrame
        ``provider``, ``code`` (IATA), ``city``, ``country`` (ISO 3166 alpha-2), ``region``,
        ``lat``, ``lon``, ``coords_source`` (``"list"`` or the documented fix).

    Raises
    ------
    UnknownNameError
        If ``provider`` is not one of :data:`PROVIDERS`.

    Examples
    --------
    >>> pops = load_pops("aws")
    >>> len(pops), pops.set_index("code").loc["FRA", "city"]
    (107, 'Frankfurt am Main')
    """
    if not isinstance(provider, str) or provider.lower() not in PROVIDERS:
        raise unknown_name("CDN provider", provider, PROVIDERS)
    return _load(provider.lower()).copy()


def pop_by_code(pops, code: str):
    """The row of one PoP by its IATA code (:class:`UnknownNameError` listing close codes if absent).

    Parameters
    ----------
    pops : pandas.DataFrame
        A PoP frame with a ``code`` column, e.g. from :func:`load_pops`.
    code : str
        The IATA code (case-insensitive).

    Returns
    -------
    pandas.Series
        The first row whose ``code`` matches.

    Raises
    ------
    UnknownNameError
        If no PoP has that code (the message lists codes with the same first letter).

    Examples
    --------
    >>> from workbench.cdn import load_pops, pop_by_code
    >>> pop_by_code(load_pops("aws"), "fra").city
    'Frankfurt am Main'
    """
    code_u = str(code).upper()
    rows = pops[pops.code == code_u]
    if rows.empty:
        near = sorted(c for c in pops.code if c[0] == code_u[:1])[:12]
        raise UnknownNameError(
            f"unknown IATA code {code!r} in this PoP list; codes starting with "
            f"{code_u[:1]!r}: {', '.join(near) or 'none'}"
        )
    return rows.iloc[0]


@functools.lru_cache(maxsize=1)
def _cities():
    import pandas as pd

    return pd.read_csv(data_path("geo", "cities.csv"), keep_default_na=False)


def load_cities(min_population: int = 200_000):
    """Cities with at least ``min_population`` people (GeoNames, CC BY 4.0), largest first.

    Columns ``geonameid``, ``name``, ``country``, ``lat``, ``lon``, ``population``, ``weight``
    (population share), used as client locations.

    Parameters
    ----------
    min_population : int, default 200_000
        Smallest population kept, >= 200,000 (the shipped table holds no smaller cities).

    Returns
    -------
    pandas.DataFrame
        The cities, largest first; ``weight`` sums to 1 over the rows returned.

    Raises
    ------
    WorkbenchError
        If ``min_population`` is below 200,000.

    Examples
    --------
    >>> load_cities(5_000_000).name.head(3).tolist()
    ['Shanghai', 'Beijing', 'Shenzhen']
    """
    if min_population < 200_000:
        raise WorkbenchError("the shipped city table holds cities of at least 200,000 people")
    df = _cities()
    df = df[df.population >= min_population].reset_index(drop=True).copy()
    df["weight"] = df.population / df.population.sum()
    return df
