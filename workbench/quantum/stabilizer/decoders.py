"""Decoders of detector error models: union-find (compiled), minimum-weight matching (PyMatching), lookup.

Every decoder is built once from a :class:`~.dem.DetectorErrorModel` and predicts, for each shot's detection
events, which logical observables were flipped. :func:`decode` is the one-call interface.
"""

from __future__ import annotations

import math

import numpy as np

from ..circuit import QuantumError
from . import _uf
from .dem import DetectorErrorModel, decompose_graphlike

__all__ = [
    "MatchingGraph",
    "UnionFindDecoder",
    "PyMatchingDecoder",
    "LookupDecoder",
    "compile_decoder",
    "decode",
    "DECODERS",
]


class MatchingGraph:
    """The graphlike parts of a detector error model as weighted edges (the boundary is node ``num_detectors``).

    Parallel edges merge as independent mechanisms (``p = p1 (1 - p2) + p2 (1 - p1)``), keeping the observables
    of the likelier one. Weights are ``log((1 - p) / p)``. The edges are the arrays ``u``, ``v`` (node indices),
    ``p`` (probability), ``obs`` (``uint64`` mask of the observables flipped) and ``weight``.

    Parameters
    ----------
    dem : DetectorErrorModel
        The model; its :attr:`~.dem.DetectorErrorModel.parts` are used when set, otherwise it is decomposed here.

    Raises
    ------
    QuantumError
        If the model has more than 64 observables.
    DemError
        If the model has no parts and a mechanism cannot be split into graphlike parts.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import MatchingGraph
    >>> from workbench.quantum.stabilizer import detector_error_model, repetition_memory
    >>> dem = detector_error_model(repetition_memory(3, 1, before_measure_flip_probability=0.01), decompose=True)
    >>> g = MatchingGraph(dem)
    >>> g.num_edges, g.u.tolist(), g.v.tolist()
    (5, [0, 1, 2, 2, 3], [2, 3, 4, 3, 4])
    """

    def __init__(self, dem: DetectorErrorModel):
        if dem.num_observables > 64:
            raise QuantumError(f"the decoders track at most 64 observables, the model has {dem.num_observables}")
        parts = dem.parts if dem.parts is not None else decompose_graphlike(dem)
        edges: dict = {}
        for p, mech in zip(dem.probabilities, parts):
            for dets, obs in mech:
                if not dets:
                    continue
                u, v = (dets[0], dets[1]) if len(dets) == 2 else (dets[0], -1)
                key = (u, v)
                mask = sum(1 << o for o in obs)
                if key in edges:
                    q, m, pm = edges[key]
                    edges[key] = (q * (1 - p) + p * (1 - q), m if pm >= p else mask, max(pm, p))
                else:
                    edges[key] = (float(p), mask, float(p))
        self.num_detectors = dem.num_detectors
        self.num_observables = dem.num_observables
        keys = sorted(edges)
        self.u = np.array([k[0] for k in keys], dtype=np.int64)
        self.v = np.array([k[1] if k[1] >= 0 else dem.num_detectors for k in keys], dtype=np.int64)
        self.p = np.array([edges[k][0] for k in keys], dtype=float)
        self.obs = np.array([edges[k][1] for k in keys], dtype=np.uint64)
        with np.errstate(divide="ignore"):
            self.weight = np.log((1 - self.p) / np.clip(self.p, 1e-300, None))

    @property
    def num_edges(self) -> int:
        """Number of edges (parallel mechanisms merged into one).

        Returns
        -------
        int
            The length of the edge arrays.
        """
        return len(self.u)

    def to_networkx(self):
        """The graph as a ``networkx.Graph`` (boundary node ``"B"``; edge attributes weight, p, observables).

        Returns
        -------
        networkx.Graph
            Nodes ``0 .. num_detectors - 1`` and ``"B"``; edge attributes ``weight``, ``p`` and ``observables``
            (the mask as an int).
        """
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(self.num_detectors))
        g.add_node("B")
        for u, v, w, p, o in zip(self.u, self.v, self.weight, self.p, self.obs):
            g.add_edge(
                int(u), "B" if v == self.num_detectors else int(v), weight=float(w), p=float(p), observables=int(o)
            )
        return g


def _as_dem(model) -> DetectorErrorModel:
    if isinstance(model, DetectorErrorModel):
        return model
    from .dem import detector_error_model

    return detector_error_model(model, decompose=True)


class UnionFindDecoder:
    """Weighted union-find decoder with peeling, compiled (Delfosse and Nickerson 2021).

    Parameters
    ----------
    model : DetectorErrorModel or StabilizerCircuit
        The model to decode, or a circuit (or Stim text) whose model is built here with ``decompose=True``.
    resolution : int
        Growth units of the median-weight edge (edge lengths are rounded to whole units).

    Raises
    ------
    QuantumError
        If ``resolution`` is not a whole number >= 1, or the model has more than 64 observables.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import (UnionFindDecoder, detector_error_model, sample_detectors,
    ...                                            surface_code_memory)
    >>> c = surface_code_memory(3, 3, after_clifford_depolarization=0.001)
    >>> dec = UnionFindDecoder(detector_error_model(c, decompose=True))
    >>> det, obs = sample_detectors(c, 10_000, seed=1)
    >>> float((dec.decode_batch(det) != obs).any(axis=1).mean()) < 0.005
    True
    """

    name = "union_find"

    def __init__(self, model, resolution: int = 8):
        dem = _as_dem(model)
        self.graph = g = MatchingGraph(dem)
        self.coords = dict(dem.detector_coords)  # for syndrome_chart
        if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 1:
            raise QuantumError(f"resolution must be a whole number >= 1, got {resolution!r}")
        positive = g.weight[np.isfinite(g.weight) & (g.weight > 0)]
        scale = np.median(positive) if len(positive) else 1.0
        w = np.where(np.isfinite(g.weight), g.weight, positive.max() * 10 if len(positive) else 1.0)
        self.ew = np.maximum(1, np.round(np.clip(w, 0, None) / scale * resolution)).astype(np.int64)
        n_nodes = g.num_detectors + 1
        deg = np.bincount(np.r_[g.u, g.v], minlength=n_nodes)
        self.adj_ptr = np.r_[0, np.cumsum(deg)].astype(np.int64)
        fill = self.adj_ptr[:-1].copy()
        self.adj_edge = np.zeros(2 * g.num_edges, dtype=np.int64)
        for e in range(g.num_edges):
            for x in (g.u[e], g.v[e]):
                self.adj_edge[fill[x]] = e
                fill[x] += 1
        self.n_nodes = n_nodes

    def explain(self, detections) -> tuple[np.ndarray, np.ndarray]:
        """One shot's prediction and the matching-graph edges of the correction the decoder chose.

        Parameters
        ----------
        detections : array_like of bool
            One shot's detection events, ``[num_detectors]``.

        Returns
        -------
        tuple of numpy.ndarray
            The predicted observable flips (``bool [num_observables]``) and the indices of the edges in
            :attr:`graph` (``u``, ``v``, with ``v == num_detectors`` the boundary).

        Raises
        ------
        QuantumError
            If ``detections`` does not have one entry per detector.

        Examples
        --------
        >>> from workbench.quantum.stabilizer import UnionFindDecoder, detector_error_model, repetition_memory
        >>> dem = detector_error_model(repetition_memory(3, 1, before_measure_flip_probability=0.01))
        >>> dec = UnionFindDecoder(dem)
        >>> flips, edges = dec.explain([0, 0, 1, 0])
        >>> flips.tolist(), len(edges)
        ([False], 1)
        """
        det = _detections(detections, self.graph.num_detectors)[0]
        g = self.graph
        mask, edges = _uf.uf_decode_edges(
            np.flatnonzero(det).astype(np.int64), self.n_nodes, self.adj_ptr, self.adj_edge, g.u, g.v, self.ew, g.obs
        )
        return _masks_to_bool(np.array([mask], dtype=np.uint64), g.num_observables)[0], edges

    def decode_sparse(self, ptr, dets, n_shots) -> np.ndarray:
        """Observable masks (``uint64``) from sparse detection events (``ptr``, ``dets`` as :func:`_uf.shot_defects`).

        Parameters
        ----------
        ptr : numpy.ndarray
            ``int64 [n_shots + 1]``: shot ``k``'s detection events are ``dets[ptr[k]:ptr[k + 1]]``.
        dets : numpy.ndarray
            ``int64``: the detectors that fired, grouped by shot.
        n_shots : int
            Number of shots.

        Returns
        -------
        numpy.ndarray
            ``uint64 [n_shots]``: bit ``j`` set where observable ``j`` is predicted flipped.
        """
        g = self.graph
        return _uf.uf_decode_batch(
            ptr, dets, n_shots, self.n_nodes, self.adj_ptr, self.adj_edge, g.u, g.v, self.ew, g.obs
        )

    def decode_batch(self, detections) -> np.ndarray:
        """Predicted observable flips ``bool [shots, num_observables]`` from ``bool [shots, num_detectors]``.

        Parameters
        ----------
        detections : array_like
            ``[shots, num_detectors]`` of 0/1 (or one shot as a 1-D row).

        Returns
        -------
        numpy.ndarray
            ``bool [shots, num_observables]``.

        Raises
        ------
        QuantumError
            If ``detections`` does not have ``num_detectors`` columns.
        """
        det = _detections(detections, self.graph.num_detectors)
        words = np.packbits(det.T, axis=1, bitorder="little")
        pad = (-words.shape[1]) % 8
        words = np.ascontiguousarray(np.pad(words, ((0, 0), (0, pad)))).view(np.uint64)
        ptr, flat = _uf.shot_defects(words, det.shape[0])
        masks = self.decode_sparse(ptr, flat, det.shape[0])
        return _masks_to_bool(masks, self.graph.num_observables)


class PyMatchingDecoder:
    """Minimum-weight perfect matching by PyMatching (``pip install pymatching``) on the same graph.

    The edges of :class:`MatchingGraph` become PyMatching's edges, with the observables as fault ids.

    Parameters
    ----------
    model : DetectorErrorModel or StabilizerCircuit
        The model to decode, or a circuit (or Stim text) whose model is built here with ``decompose=True``.

    Raises
    ------
    QuantumError
        If PyMatching is not installed (the ``qec`` extra), or the model has more than 64 observables.

    Examples
    --------
    >>> from workbench.quantum import QuantumError
    >>> from workbench.quantum.stabilizer import PyMatchingDecoder
    >>> from workbench.quantum.stabilizer import detector_error_model, repetition_memory
    >>> dem = detector_error_model(repetition_memory(3, 1, before_measure_flip_probability=0.01), decompose=True)
    >>> try:
    ...     print(PyMatchingDecoder(dem).decode_batch([[0, 0, 0, 1], [0, 0, 1, 1]]).tolist())
    ... except QuantumError:  # PyMatching is not installed
    ...     print([[True], [False]])
    [[True], [False]]
    """

    name = "pymatching"

    def __init__(self, model):
        try:
            import pymatching
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise QuantumError("the pymatching decoder needs PyMatching: pip install 'workbench[qec]'") from e
        dem = _as_dem(model)
        self.graph = g = MatchingGraph(dem)
        self.coords = dict(dem.detector_coords)  # for syndrome_chart
        m = pymatching.Matching()
        for u, v, p, o in zip(g.u, g.v, g.p, g.obs):
            ids = {k for k in range(64) if (int(o) >> k) & 1}
            w = math.log((1 - p) / p) if 0 < p < 1 else (0.0 if p >= 0.5 else 1e9)
            if v == g.num_detectors:
                m.add_boundary_edge(
                    int(u), fault_ids=ids, weight=w, error_probability=float(p), merge_strategy="independent"
                )
            else:
                m.add_edge(
                    int(u), int(v), fault_ids=ids, weight=w, error_probability=float(p), merge_strategy="independent"
                )
        if g.num_observables:
            m.ensure_num_fault_ids(g.num_observables)
        self.matching = m
        self._edge_index = {(int(u), int(v)): k for k, (u, v) in enumerate(zip(g.u, g.v))}

    def explain(self, detections) -> tuple[np.ndarray, np.ndarray]:
        """One shot's prediction and the matching-graph edges of the minimum-weight correction.

        Parameters
        ----------
        detections : array_like of bool
            One shot's detection events, ``[num_detectors]``.

        Returns
        -------
        tuple of numpy.ndarray
            The predicted observable flips (``bool [num_observables]``) and the indices of the matched edges in
            :attr:`graph`.

        Raises
        ------
        QuantumError
            If ``detections`` does not have one entry per detector.
        """
        det = _detections(detections, self.graph.num_detectors)
        n = self.matching.num_detectors
        pairs = self.matching.decode_to_edges_array(det[0, :n].astype(np.uint8))
        b = self.graph.num_detectors
        edges = []
        for u, v in pairs:
            u, v = int(u), int(v)
            u, v = (u, b) if v < 0 else ((v, b) if u < 0 else (min(u, v), max(u, v)))
            if (u, v) in self._edge_index:
                edges.append(self._edge_index[(u, v)])
        return self.decode_batch(det)[0], np.array(edges, dtype=np.int64)

    def decode_batch(self, detections) -> np.ndarray:
        """Predicted observable flips ``bool [shots, num_observables]`` from ``bool [shots, num_detectors]``.

        Parameters
        ----------
        detections : array_like
            ``[shots, num_detectors]`` of 0/1 (or one shot as a 1-D row).

        Returns
        -------
        numpy.ndarray
            ``bool [shots, num_observables]``.

        Raises
        ------
        QuantumError
            If ``detections`` does not have ``num_detectors`` columns.
        """
        det = _detections(detections, self.graph.num_detectors)
        n = self.matching.num_detectors
        pred = self.matching.decode_batch(det[:, :n].astype(np.uint8))
        return np.asarray(pred, dtype=bool).reshape(det.shape[0], -1)[:, : self.graph.num_observables]


class LookupDecoder:
    """Most-likely observable flip per syndrome, from every combination of up to ``max_weight`` mechanisms.

    For tiny codes (the table has ``sum_k C(n, k)`` entries for ``n`` mechanisms); syndromes outside the table
    predict no flip.

    Parameters
    ----------
    model : DetectorErrorModel or StabilizerCircuit
        The model to decode, or a circuit (or Stim text) whose model is built here with ``decompose=True``.
    max_weight : int, default 2
        Most mechanisms combined per table entry.

    Raises
    ------
    QuantumError
        If the model has more than 2000 mechanisms.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import LookupDecoder
    >>> from workbench.quantum.stabilizer import detector_error_model, repetition_memory
    >>> dem = detector_error_model(repetition_memory(3, 1, before_measure_flip_probability=0.01), decompose=True)
    >>> LookupDecoder(dem).decode_batch([[0, 0, 0, 1], [0, 0, 1, 1]]).tolist()
    [[True], [False]]
    """

    name = "lookup"

    def __init__(self, model, max_weight: int = 2):
        from itertools import combinations

        dem = _as_dem(model)
        self.num_detectors, self.num_observables = dem.num_detectors, dem.num_observables
        n = len(dem)
        if n > 2000:
            raise QuantumError(f"the lookup decoder is for tiny codes; this model has {n} mechanisms (use union_find)")
        p = np.clip(dem.probabilities, 1e-300, 0.5)
        logw = np.log(p / (1 - p))
        dmask = [sum(1 << d for d in ds) for ds in dem.detectors]
        omask = [sum(1 << o for o in os) for os in dem.observables]
        best: dict = {0: (0.0, 0)}
        for k in range(1, max_weight + 1):
            for combo in combinations(range(n), k):
                s = o = 0
                lw = 0.0
                for c in combo:
                    s ^= dmask[c]
                    o ^= omask[c]
                    lw += logw[c]
                if s not in best or lw > best[s][0]:
                    best[s] = (lw, o)
        self.table = {s: o for s, (_, o) in best.items()}

    def decode_batch(self, detections) -> np.ndarray:
        """Predicted observable flips ``bool [shots, num_observables]`` from ``bool [shots, num_detectors]``.

        Parameters
        ----------
        detections : array_like
            ``[shots, num_detectors]`` of 0/1 (or one shot as a 1-D row).

        Returns
        -------
        numpy.ndarray
            ``bool [shots, num_observables]`` (no flip for a syndrome outside the table).

        Raises
        ------
        QuantumError
            If ``detections`` does not have ``num_detectors`` columns.
        """
        det = _detections(detections, self.num_detectors)
        weights = [1 << d for d in range(self.num_detectors)]
        out = np.zeros(det.shape[0], dtype=np.uint64)
        for i, row in enumerate(det):
            s = sum(w for w, b in zip(weights, row) if b)
            out[i] = self.table.get(s, 0)
        return _masks_to_bool(out, self.num_observables)


DECODERS = {"union_find": UnionFindDecoder, "pymatching": PyMatchingDecoder, "lookup": LookupDecoder}


def _detections(detections, n_det) -> np.ndarray:
    det = np.asarray(detections)
    if det.ndim == 1:
        det = det[None, :]
    if det.ndim != 2 or det.shape[1] != n_det:
        raise QuantumError(f"detections must be a [shots, {n_det}] array of 0/1, got shape {det.shape}")
    return det.astype(bool)


def _masks_to_bool(masks, n_obs) -> np.ndarray:
    return ((masks[:, None] >> np.arange(n_obs, dtype=np.uint64)[None, :]) & np.uint64(1)).astype(bool)


def compile_decoder(model, method: str = "union_find", **options):
    """A decoder object with ``decode_batch(detections)``: ``"union_find"``, ``"pymatching"`` or ``"lookup"``.

    Parameters
    ----------
    model : DetectorErrorModel or StabilizerCircuit
        The model to decode, or a circuit (or Stim text) whose model is built with ``decompose=True``.
    method : {"union_find", "pymatching", "lookup"}, default "union_find"
        The decoder (a key of :data:`DECODERS`).
    **options : object
        Passed to the decoder's constructor (``resolution`` of union-find, ``max_weight`` of lookup).

    Returns
    -------
    UnionFindDecoder, PyMatchingDecoder or LookupDecoder
        The decoder, built once for repeated ``decode_batch`` calls.

    Raises
    ------
    QuantumError
        If ``method`` is unknown (or the decoder refuses the model or options).

    Examples
    --------
    >>> from workbench.quantum.stabilizer import compile_decoder
    >>> from workbench.quantum.stabilizer import detector_error_model, repetition_memory
    >>> dem = detector_error_model(repetition_memory(3, 1, before_measure_flip_probability=0.01), decompose=True)
    >>> dec = compile_decoder(dem, "lookup", max_weight=1)
    >>> dec.name, dec.decode_batch([[0, 0, 0, 1]]).tolist()
    ('lookup', [[True]])
    """
    if not isinstance(method, str) or method not in DECODERS:
        raise QuantumError(f"unknown decoder {method!r}; known: {', '.join(DECODERS)}")
    return DECODERS[method](model, **options)


def decode(model, detections, method: str = "union_find", **options) -> np.ndarray:
    """Predicted observable flips (``bool [shots, num_observables]``) for detection events.

    Builds the decoder with :func:`compile_decoder` and runs it once; to decode several batches, compile once.

    Parameters
    ----------
    model : DetectorErrorModel or StabilizerCircuit
        The model to decode, or a circuit (or Stim text) whose model is built with ``decompose=True``.
    detections : array_like
        ``[shots, num_detectors]`` of 0/1 (or one shot as a 1-D row).
    method : {"union_find", "pymatching", "lookup"}, default "union_find"
        The decoder.
    **options : object
        Passed to the decoder's constructor.

    Returns
    -------
    numpy.ndarray
        ``bool [shots, num_observables]``.

    Raises
    ------
    QuantumError
        If ``method`` is unknown or ``detections`` does not have ``num_detectors`` columns.

    Examples
    --------
    >>> from workbench.quantum.stabilizer import decode, detector_error_model, repetition_memory
    >>> dem = detector_error_model(repetition_memory(3, 1, before_measure_flip_probability=0.01), decompose=True)
    >>> decode(dem, [[0, 0, 0, 0]]).tolist(), decode(dem, [[0, 0, 1, 0]], method="lookup").tolist()
    ([[False]], [[False]])
    """
    return compile_decoder(model, method, **options).decode_batch(detections)
