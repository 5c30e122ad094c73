"""The discrete-event engine: exactness against a naive FCFS queue, queueing theory, availability,
failures and recovery, schedulers, determinism and bad input."""

import os

import numpy as np
import pandas as pd
import pytest

import workbench.edge as E
from workbench.edge import _kernels as K

from . import naive


def small(seed=0, **kw):
    args = dict(n_devices=30, n_edge=6, n_cloud=1, rate=2.0, size_mi=400.0, deadline_s=0.4, seed=seed)
    args.update(kw)
    return E.build_scenario("Abilene", **args)


# --- exactness -----------------------------------------------------------------------------


@pytest.mark.kernel
@pytest.mark.parametrize("c,lam,service", [(1, 0.7, "exp"), (3, 2.4, "exp"), (2, 1.5, "det")])
def test_engine_matches_naive_fcfs_recursion(c, lam, service):
    eng = E.Engine(E.queue_scenario(lam, 1.0, c, service), "nearest", seed=5)
    first, state = float(eng.hk[0]), int(eng.si[K.SI_RNG])
    n = 3000
    eng.advance(n)
    waits = naive.fcfs_waits(first, state, lam, 1.0, c, n, service)
    assert eng.si[K.SI_DONE] == n
    assert eng.sf[K.SF_WAIT_SUM] == pytest.approx(sum(waits), rel=1e-9)
    assert eng.sf[K.SF_WAIT_SQ] == pytest.approx(sum(w * w for w in waits), rel=1e-9)


@pytest.mark.kernel
def test_same_seed_same_result_and_streaming_memory():
    sc = small()
    a = E.simulate(sc, "mct", n_tasks=3000, seed=7).summary()
    b = E.simulate(sc, "mct", n_tasks=3000, seed=7).summary()
    c = E.simulate(sc, "mct", n_tasks=3000, seed=8).summary()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    # task and event pools are sized by tasks in flight, not by tasks simulated
    r = E.simulate(sc, "mct", n_tasks=6000, seed=7)
    assert r.engine.tf.shape[0] <= 1024 and r.engine.ev.shape[0] <= 1024


# --- queueing theory (>= 10 seeds, CI covers the analytic value, within 2%) -------------------


@pytest.mark.parametrize(
    "lam,mu,c,service,n",
    [(0.8, 1.0, 1, "exp", 1_000_000), (3.2, 1.0, 4, "exp", 500_000), (0.7, 1.0, 1, "det", 500_000)],
)
def test_queueing_theory(lam, mu, c, service, n):
    df = E.replicate(E.simulate_queue, range(100, 110), lam=lam, mu=mu, c=c, service=service, n_customers=n).set_index(
        "metric"
    )
    theory = df.loc["wait_theory_s", "mean"]
    w = df.loc["wait_mean_s"]
    assert abs(w["mean"] - theory) / theory <= 0.02
    assert w.ci_low <= theory <= w.ci_high
    assert df.loc["utilisation", "mean"] == pytest.approx(lam / (c * mu), rel=0.01)


def test_theory_formulas_known_values():
    assert E.erlang_c(0.5, 1.0, 1) == pytest.approx(0.5)
    # Erlang C, a = 2 Erlang on 3 servers: 4/9 (textbook value 0.4444)
    assert E.erlang_c(2.0, 1.0, 3) == pytest.approx(4 / 9)
    assert E.mmc_wait(2.0, 1.0, 3) == pytest.approx(4 / 9)
    assert E.md1_wait(0.5, 1.0) == pytest.approx(0.5)  # half of M/M/1's 1.0
    assert E.mg1_wait(0.5, 1.0, 2.0) == pytest.approx(E.mmc_wait(0.5, 1.0, 1))
    with pytest.raises(E.EdgeSimError, match="unstable"):
        E.mmc_wait(1.0, 1.0, 1)


def test_availability_under_failure_and_repair():
    sc = E.build_scenario("Abilene", 5, 40, 0, rate=0.01, seed=1)
    f = E.Failures(mtbf_s=90.0, mttr_s=10.0, detect_s=1.0)
    r = E.simulate(sc, "least_loaded", duration_s=200_000.0, seed=3, failures=f)
    nodes = r.by_node()
    theory = E.availability(90.0, 10.0)
    a = nodes.availability
    assert abs(a.mean() - theory) / theory <= 0.01
    half = 2.02 * a.std(ddof=1) / np.sqrt(len(a))
    assert a.mean() - half <= theory <= a.mean() + half
    assert (nodes.failures > 1000).all()


# --- schedulers, failures, recovery ------------------------------------------------------------


@pytest.mark.kernel
@pytest.mark.parametrize("scheduler", [*E.SCHEDULERS, E.ScoreScheduler([1, 0.05, 1, 1, 0.01, 1])])
def test_every_scheduler_conserves_tasks(scheduler):
    sc = small(arrival="bursty")
    f = E.Failures(scheduled=[("edge0", 5.0, 20.0), (1, 10.0, 5.0)], detect_s=2.0)
    r = E.simulate(sc, scheduler, n_tasks=1500, seed=2, failures=f, bucket_s=1.0)
    s = r.summary().iloc[0]
    assert s.generated == 1500
    assert s.completed + s.dropped == 1500
    tl = r.timeline()
    assert tl.created.sum() == 1500 and tl.completed.sum() == s.completed
    nodes = r.by_node()
    assert nodes.served.sum() + s.local == s.completed
    assert (nodes.utilisation <= 1 + 1e-9).all() and (nodes.utilisation >= 0).all()
    fl = r.failures()
    assert len(fl) == 2 and set(fl.node) == {"edge0", "edge1"}
    assert fl.down_s.tolist() == pytest.approx([20.0, 5.0])
    assert s.latency_p50_ms <= s.latency_p95_ms <= s.latency_p99_ms


@pytest.mark.kernel
def test_offload_uses_the_device_when_the_network_is_slow():
    # 20 MB over a 50 Mbit/s uplink takes 3.2 s: the device's own CPU (400 MI at 500 MIPS) is faster
    sc = small(data_in_mb=20.0, rate=0.5)
    s = E.simulate(sc, "offload", n_tasks=500, seed=1).summary().iloc[0]
    assert s.local >= 0.9 * 500
    # 10 kB uplinks: the edge meets the deadline, and sending costs less energy than computing
    fast = E.simulate(small(data_in_mb=0.01, rate=0.5), "offload", n_tasks=500, seed=1).summary().iloc[0]
    assert fast.local <= 0.1 * 500
    assert fast.device_energy_j < s.device_energy_j


@pytest.mark.kernel
def test_checkpoint_recovers_faster_than_restart():
    sc = E.build_scenario("Abilene", 20, 4, 0, rate=0.2, size_mi=20_000.0, edge_mips=1000.0, seed=0)
    out = {}
    for mode in ("restart", "checkpoint"):
        f = E.Failures(
            scheduled=[("edge0", 30.0, 5.0), ("edge1", 30.0, 5.0)], detect_s=2.0, recovery=mode, checkpoint_s=1.0
        )
        r = E.simulate(sc, "least_loaded", n_tasks=400, seed=4, failures=f)
        fl = r.failures()
        assert (fl.affected > 0).all()
        assert (fl.recovery_s >= 2.0).all()  # nobody is re-dispatched before the time-out
        out[mode] = fl.recovery_s.mean()
    assert out["checkpoint"] < out["restart"]


@pytest.mark.kernel
def test_random_failures_and_retries_and_drops():
    sc = small(n_edge=3, n_cloud=0)
    sc.nodes["queue_cap"] = 2
    f = E.Failures(mtbf_s=20.0, mttr_s=5.0, detect_s=1.0, max_tries=1)
    r = E.simulate(sc, "random", n_tasks=2000, seed=9, failures=f)
    s = r.summary().iloc[0]
    assert s.failures > 0 and s.retried > 0 and s.dropped > 0
    assert s.completed + s.dropped == 2000
    assert r.by_node().dropped.sum() > 0


@pytest.mark.kernel
def test_external_decisions_drive_the_engine_step_by_step():
    sc = small()
    eng = E.Engine(sc, "external", seed=1)
    decisions = 0
    st = eng.advance(200)
    while st == K.ST_DECIDE:
        decisions += 1
        st = eng.advance(200, action=decisions % sc.n_nodes)
    assert decisions == 200
    s = eng.result().summary().iloc[0]
    assert s.completed == 200
    served = eng.result().by_node().served.to_numpy()
    assert served.tolist() == np.bincount(np.arange(1, 201) % sc.n_nodes, minlength=sc.n_nodes).tolist()


@pytest.mark.kernel
def test_periodic_sources_and_progress_bar():
    sc = small(arrival="periodic")
    r = E.simulate(sc, "round_robin", duration_s=10.0, seed=0, progress=True)
    s = r.summary().iloc[0]
    assert s.generated == pytest.approx(30 * 2.0 * 10.0, abs=30)
    assert r.duration_s == pytest.approx(10.0)


@pytest.mark.kernel
def test_pools_grow_when_many_tasks_are_in_flight():
    sc = E.queue_scenario(50.0, 1.0, 1)  # overloaded: the queue grows without bound
    r = E.simulate(sc, "nearest", n_tasks=5000, seed=1)
    assert r.summary().completed.item() == 5000
    assert r.engine.tf.shape[0] >= 4096
    sc = E.build_scenario("Abilene", 10, 2, 0, rate=50.0, size_mi=50_000.0, seed=0)
    f = E.Failures(scheduled=[("edge0", 20.0, 1.0)], detect_s=0.5)
    r = E.simulate(sc, "round_robin", n_tasks=3000, seed=1, failures=f, bucket_s=0.05)
    assert r.failures().affected.item() > 1000
    assert len(r.timeline()) > 128


# --- bad input ---------------------------------------------------------------------------------


def test_bad_input_is_named():
    dev = pd.DataFrame({"rate": [1.0, 2.0]})
    node = pd.DataFrame({"cores": [1]})
    lat = np.zeros((1, 1))
    with pytest.raises(E.EdgeSimError, match="device 1: size_mi must be >= 0"):
        E.Scenario(dev.assign(size_mi=[1.0, -5.0]), node, lat)
    with pytest.raises(E.EdgeSimError, match="node 0: cores must be > 0, got 0"):
        E.Scenario(dev, node.assign(cores=0), lat)
    with pytest.raises(E.EdgeSimError, match="deadline_s must be > 0"):
        E.Scenario(dev.assign(deadline_s=[-1.0, 1.0]), node, lat)
    with pytest.raises(E.EdgeSimError, match="device 1 is disconnected"):
        E.Scenario(dev.assign(ap=[0, 1]), node, np.array([[0, np.inf], [np.inf, 0]]))
    with pytest.raises(E.EdgeSimError, match="attach point 3 is not in 0..0"):
        E.Scenario(dev, node.assign(ap=3), lat)
    with pytest.raises(E.EdgeSimError, match="unknown column"):
        E.Scenario(dev.assign(colour="red"), node, lat)
    with pytest.raises(E.EdgeSimError, match="arrival 'weekly'"):
        E.Scenario(dev.assign(arrival="weekly"), node, lat)
    sc = E.Scenario(dev, node, lat)
    with pytest.raises(KeyError, match="choose one of"):
        E.simulate(sc, "fastest", n_tasks=10)
    with pytest.raises(E.EdgeSimError, match="n_tasks, duration_s"):
        E.simulate(sc)
    with pytest.raises(E.EdgeSimError, match="unknown node 'edge9'"):
        E.simulate(sc, n_tasks=10, failures=E.Failures(scheduled=[("edge9", 1.0, 1.0)]))
    with pytest.raises(E.EdgeSimError, match="both mtbf_s"):
        E.Failures(mtbf_s=10.0)
    with pytest.raises(E.EdgeSimError, match="6 finite weights"):
        E.ScoreScheduler([1, 2])


# --- gymnasium environment ---------------------------------------------------------------------


def test_gymnasium_env_follows_the_api_and_accounts_rewards():
    from gymnasium.utils.env_checker import check_env

    sc = small()
    env = E.EdgeSchedulingEnv(sc, n_tasks=300, miss_penalty=0.5)
    check_env(env, skip_render_check=True)
    runs = []
    for _ in range(2):
        obs, info = env.reset(seed=11)
        assert obs.shape == (sc.n_nodes, len(E.FEATURES)) and env.observation_space.contains(obs)
        total, done, steps = 0.0, False, 0
        while not done:
            # a greedy agent on the observation: latency + wait + execution + transfer
            a = int(np.argmin(2 * obs[:, 0] + obs[:, 2] + obs[:, 3] + obs[:, 5]))
            obs, r, done, truncated, info = env.step(a)
            total += r
            steps += 1
        runs.append(total)
        assert steps == 300 and info["completed"] == 300 and not truncated
        e = env.engine
        assert total == pytest.approx(-(e.sf[K.SF_RESP_SUM] + 0.5 * e.si[K.SI_MISSED]))
    assert runs[0] == runs[1]  # same seed, same episode
    with pytest.raises(E.EdgeSimError, match="episode has ended"):
        env.step(0)
    with pytest.raises(E.EdgeSimError, match="node index in 0..6"):
        env.reset(seed=0)
        env.step(99)


# --- link failures ---------------------------------------------------------------------------


@pytest.mark.kernel
def test_link_failure_reroutes_over_the_remaining_backbone():
    import networkx as nx

    sc = small()
    g = sc.graph
    u, v = list(g.edges)[0]
    eng = E.Engine(sc, "mct", seed=1, failures=E.Failures(links=[(u, v, 5.0, 10.0)]))
    eng.advance(10**9, t_end=8.0)
    h = g.copy()
    h.remove_edge(u, v)
    nodes = list(g.nodes)
    for i, a in enumerate(nodes):  # networkx's Dijkstra as the reference
        d = nx.single_source_dijkstra_path_length(h, a, weight="lat_ms")
        np.testing.assert_allclose(eng.lat[i], [d.get(b, np.inf) for b in nodes], rtol=1e-12)
    assert (eng.lat >= sc.latency_ms - 1e-12).all() and (eng.lat > sc.latency_ms + 1e-9).any()
    eng.advance(10**9, t_end=20.0)
    np.testing.assert_allclose(eng.lat, sc.latency_ms)
    assert eng.result().summary().link_failures.item() == 1


@pytest.mark.kernel
def test_a_cut_backbone_keeps_devices_on_their_side():
    import networkx as nx

    sc = E.build_scenario("UsCarrier", 300, 40, 0, rate=1.0, seed=2)
    bridge = next(
        e
        for e in nx.bridges(sc.graph)
        if min(len(c) for c in nx.connected_components(nx.restricted_view(sc.graph, [], [e]))) > 10
    )
    f = E.Failures(links=[(*bridge, 2.0, 30.0)])
    for sched in ("random", "round_robin", "least_loaded", "nearest", "mct"):
        eng = E.Engine(sc, sched, seed=3, failures=f)
        eng.advance(3000, t_end=10.0)
        assert np.isinf(eng.lat).any()  # the backbone is cut in two
        eng.advance(3000)
        s = eng.result().summary().iloc[0]
        assert s.completed + s.dropped == 3000 and s.retried == 0  # nothing was sent across the cut


@pytest.mark.kernel
def test_random_link_failures_conserve_tasks():
    r = E.simulate(small(), "random", n_tasks=2000, seed=1, failures=E.Failures(link_mtbf_s=5.0, link_mttr_s=2.0))
    s = r.summary().iloc[0]
    assert s.link_failures > 10 and s.completed + s.dropped == 2000


def test_link_failure_input_is_checked():
    sc = small()
    with pytest.raises(E.EdgeSimError, match="is not a link of the backbone"):
        E.simulate(sc, n_tasks=10, failures=E.Failures(links=[(0, 999, 1.0, 1.0)]))
    with pytest.raises(E.EdgeSimError, match="need a Scenario.graph"):
        E.simulate(E.queue_scenario(0.5, 1.0), n_tasks=10, failures=E.Failures(link_mtbf_s=1.0, link_mttr_s=1.0))
    with pytest.raises(E.EdgeSimError, match="both link_mtbf_s"):
        E.Failures(link_mtbf_s=3.0)


# --- workflows (DAG jobs) ----------------------------------------------------------------------


def _one_device(**kw):
    return pd.DataFrame({"rate": [0.01], "arrival": ["periodic"], **{k: [v] for k, v in kw.items()}})


@pytest.mark.kernel
def test_workflow_chain_and_fork_join_response_times_are_exact():
    chain = E.TaskGraph([[10.0], [20.0], [30.0]], [(0, 1, 0.0), (1, 2, 0.0)])
    one = pd.DataFrame({"cores": [1], "speed_mips": [10.0]})
    r = E.simulate(E.Scenario(_one_device(), one, np.zeros((1, 1)), workflow=chain), "nearest", n_tasks=20, seed=0)
    s = r.summary().iloc[0]
    assert s.completed == 20 and s.latency_mean_ms == pytest.approx(6000.0)  # 1 s + 2 s + 3 s in sequence
    assert r.by_node().served.item() == 60
    # fork-join: the two branches run in parallel on two servers: 1 + max(2, 4) + 1 seconds
    fj = E.TaskGraph([[10.0], [20.0], [40.0], [10.0]], [(0, 1, 0.0), (0, 2, 0.0), (1, 3, 0.0), (2, 3, 0.0)])
    two = pd.DataFrame({"cores": [1, 1], "speed_mips": [10.0, 10.0]})
    r = E.simulate(E.Scenario(_one_device(), two, np.zeros((1, 1)), workflow=fj), "mct", n_tasks=20, seed=0)
    assert r.summary().latency_mean_ms.item() == pytest.approx(6000.0)


@pytest.mark.kernel
def test_workflow_data_moves_between_nodes_over_the_backbone():
    # A on node 0, B on node 1 (round robin); B's 1 MB input crosses a 10 ms link at 8 Mbit/s
    chain = E.TaskGraph([[10.0], [20.0]], [(0, 1, 1.0)])
    dev = _one_device(access_ms=2.0)
    nodes = pd.DataFrame({"cores": [1, 1], "speed_mips": [10.0, 10.0], "ap": [0, 1], "bandwidth_mbps": [8.0, 8.0]})
    lat = np.array([[0.0, 10.0], [10.0, 0.0]])
    r = E.simulate(E.Scenario(dev, nodes, lat, workflow=chain), "round_robin", n_tasks=1, seed=0)
    # device -> node 0: 2 ms; A: 1 s; node 0 -> node 1: 10 ms + 1 s; B: 2 s; node 1 -> device: 12 ms
    assert r.summary().latency_mean_ms.item() == pytest.approx(1000 * (0.002 + 1 + 0.010 + 1 + 2 + 0.012))


@pytest.mark.kernel
def test_workflow_jobs_survive_failures_and_die_whole_when_dropped():
    wf = E.random_dag(8, 1, edge_prob=0.3, mean_cost=200.0, seed=3)
    sc = small(n_edge=4, n_cloud=1, rate=0.5)
    sc.workflow = wf
    f = E.Failures(
        scheduled=[("edge0", 5.0, 10.0), ("edge1", 8.0, 10.0)], detect_s=1.0, link_mtbf_s=20.0, link_mttr_s=2.0
    )
    for sched in ("mct", "least_loaded", "random"):
        r = E.simulate(sc, sched, n_tasks=400, seed=2, failures=f)
        s = r.summary().iloc[0]
        assert s.generated == 400 and s.completed + s.dropped == 400
        assert s.retried > 0
    one = pd.DataFrame({"cores": [1], "speed_mips": [10.0], "queue_cap": [0]})
    busy = pd.DataFrame({"rate": [5.0]})
    r = E.simulate(E.Scenario(busy, one, np.zeros((1, 1)), workflow=wf), "nearest", n_tasks=300, seed=1)
    s = r.summary().iloc[0]
    assert s.dropped > 0 and s.completed + s.dropped == 300


def test_workflow_input_is_checked():
    dev, node = _one_device(), pd.DataFrame({"cores": [1]})
    with pytest.raises(E.EdgeSimError, match="one cost column"):
        E.Scenario(dev, node, np.zeros((1, 1)), workflow=E.TaskGraph(np.ones((2, 2))))
    sc = E.Scenario(dev, node, np.zeros((1, 1)), workflow=E.TaskGraph([[1.0]]))
    with pytest.raises(E.EdgeSimError, match="does not support workflow"):
        E.simulate(sc, "offload", n_tasks=5)


# --- queue disciplines and memory --------------------------------------------------------------


@pytest.mark.kernel
def test_shortest_job_first_matches_a_naive_priority_queue():
    sc = E.queue_scenario(0.9, 1.0)
    sc.nodes["discipline"] = "sjf"
    eng = E.Engine(sc, "nearest", seed=4)
    first, state = float(eng.hk[0]), int(eng.si[K.SI_RNG])
    eng.advance(3000)
    waits = naive.priority_waits(first, state, 0.9, 1.0, 3000)
    assert eng.sf[K.SF_WAIT_SUM] == pytest.approx(sum(waits), rel=1e-9)
    fcfs = naive.fcfs_waits(first, state, 0.9, 1.0, 1, 3000)
    assert sum(waits) < sum(fcfs)  # SJF lowers the mean wait


@pytest.mark.kernel
def test_edf_with_one_deadline_is_fcfs_and_memory_limits_parallelism():
    sc = E.queue_scenario(0.7, 1.0)
    sc.devices["deadline_s"] = 5.0
    sc.nodes["discipline"] = "edf"
    eng = E.Engine(sc, "nearest", seed=5)
    first, state = float(eng.hk[0]), int(eng.si[K.SI_RNG])
    eng.advance(2000)
    assert eng.sf[K.SF_WAIT_SUM] == pytest.approx(sum(naive.fcfs_waits(first, state, 0.7, 1.0, 1, 2000)), rel=1e-9)
    # two cores, but memory for one task at a time: the same waits as one core
    sc = E.queue_scenario(0.7, 1.0, 2)
    sc.devices["mem_mb"] = 60.0
    sc.nodes["memory_mb"] = 100.0
    eng = E.Engine(sc, "nearest", seed=5)
    first, state = float(eng.hk[0]), int(eng.si[K.SI_RNG])
    eng.advance(2000)
    assert eng.sf[K.SF_WAIT_SUM] == pytest.approx(sum(naive.fcfs_waits(first, state, 0.7, 1.0, 1, 2000)), rel=1e-9)
    # a task that can never fit is dropped, not queued forever
    sc.devices["mem_mb"] = 200.0
    s = E.simulate(sc, "nearest", n_tasks=50, seed=1).summary().iloc[0]
    assert s.dropped == 50
    with pytest.raises(E.EdgeSimError, match="discipline 'lifo'"):
        E.Scenario(sc.devices, sc.nodes.assign(discipline="lifo"), sc.latency_ms)


# --- mobility ----------------------------------------------------------------------------------


@pytest.mark.kernel
def test_mobile_devices_hand_over_and_results_follow_them():
    import networkx as nx

    g = nx.path_graph(2)
    g.edges[0, 1]["lat_ms"] = 10.0
    lat = np.array([[0.0, 10.0], [10.0, 0.0]])
    dev = pd.DataFrame(
        {
            "rate": [1.0],
            "arrival": ["periodic"],
            "size_dist": ["det"],
            "size_mi": [10.0],
            "access_ms": [1.0],
            "dwell_s": [50.0],
        }
    )
    nodes = pd.DataFrame({"cores": [100, 100], "speed_mips": [1000.0, 1000.0], "ap": [0, 1]})
    sc = E.Scenario(dev, nodes, lat, graph=g)
    near = E.simulate(sc, "nearest", n_tasks=2000, seed=1).summary().iloc[0]
    assert near.handovers > 10
    # nearest follows the device: 1 ms access each way + 10 ms of work (a few results cross the link
    # when the device moved while its task ran)
    assert near.latency_mean_ms == pytest.approx(12.0, rel=0.01)
    rr = E.simulate(sc, "round_robin", n_tasks=2000, seed=1).summary().iloc[0]
    assert rr.latency_mean_ms == pytest.approx(22.0, rel=0.02)  # half the tasks cross the 10 ms link both ways
    with pytest.raises(E.EdgeSimError, match="mobile devices"):
        E.simulate(E.Scenario(dev, nodes, lat), n_tasks=5)


# --- backbone bandwidth ------------------------------------------------------------------------


@pytest.mark.kernel
def test_transfers_run_at_the_narrowest_link_of_the_path():
    import networkx as nx

    g = nx.path_graph(3)
    g.edges[0, 1].update(lat_ms=1.0, bandwidth_mbps=100.0)
    g.edges[1, 2].update(lat_ms=1.0, bandwidth_mbps=8.0)
    lat = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]])
    dev = pd.DataFrame(
        {
            "rate": [0.01],
            "arrival": ["periodic"],
            "size_dist": ["det"],
            "size_mi": [1000.0],
            "data_in_mb": [1.0],
            "uplink_mbps": [1000.0],
            "downlink_mbps": [1000.0],
        }
    )
    node = pd.DataFrame({"cores": [1], "speed_mips": [1000.0], "ap": [2], "bandwidth_mbps": [1000.0]})
    r = E.simulate(E.Scenario(dev, node, lat, graph=g), "nearest", n_tasks=5, seed=0)
    # 2 ms there + 1 MB at 8 Mbit/s (1 s) + 1 s of work + 2 ms back
    assert r.summary().latency_mean_ms.item() == pytest.approx(1000 * (0.002 + 1.0 + 1.0 + 0.002))


@pytest.mark.kernel
def test_path_bottleneck_against_networkx():
    import networkx as nx

    from workbench.net import Router

    g = nx.connected_watts_strogatz_graph(40, 4, 0.3, seed=1)
    rng = np.random.default_rng(1)
    for _u, _v, w in g.edges(data=True):
        w["lat_ms"] = float(rng.uniform(1, 10))
        w["bandwidth_mbps"] = float(rng.choice([100.0, 1000.0, 10000.0]))
    rate = np.full((40, 40), np.inf)
    for u, v, w in g.edges(data=True):
        rate[u, v] = rate[v, u] = w["bandwidth_mbps"]
    dist, pred = Router(g, weight="lat_ms").matrix(predecessors=True)
    bn = K.path_bottleneck(dist, pred.astype(np.int64), rate)
    for a in range(0, 40, 7):
        paths = nx.single_source_dijkstra_path(g, a, weight="lat_ms")
        for b, p in paths.items():
            want = min((g.edges[x, y]["bandwidth_mbps"] for x, y in zip(p[:-1], p[1:])), default=np.inf)
            assert bn[a, b] == want


@pytest.mark.kernel
def test_the_engine_is_compiled_without_reference_counting(tmp_path):
    """The engine's helpers run with numba's ``_nrt=False`` (reference counting of the arrays in the records cost
    12x the simulation's time on M/M/4). Compiled fresh (an empty cache folder), the IR of a helper must hold no
    NRT_incref/NRT_decref, while the same function compiled with numba's defaults does: if numba stopped
    honouring the flag, this fails."""
    import subprocess
    import sys

    if os.environ.get("NUMBA_DISABLE_JIT") == "1":
        pytest.skip("no compiled code when the JIT is off")
    code = (
        "import numba, workbench.edge as E\n"
        "from workbench.edge._kernels import engine as EN\n"
        "g, dev, nodes, bb, q, tasks, stats, wf, jobs = E.Engine(E.queue_scenario(0.5, 1.0), 'nearest', seed=0)._records()\n"
        "sig = tuple(numba.typeof(x) for x in (g, q, tasks, stats)) + (numba.int64, numba.int64, numba.float64, "
        "numba.float64)\n"
        "EN._lose.compile(sig)\n"
        "plain = numba.njit(EN._lose.py_func)\n"
        "plain.compile(sig)\n"
        "for f in (EN._lose, plain):\n"
        "    ir = list(f.inspect_llvm().values())[0]\n"
        "    print(ir.count('NRT_incref') + ir.count('NRT_decref'))\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    ours, default = map(int, out.stdout.split())
    assert default > 0, "the check cannot see reference counting at all"
    assert ours == 0, f"{ours} reference-counting calls in the engine's compiled code"


def test_built_scenarios_state_each_node_default_once():
    """Edge nodes of build_scenario take NODE_COLUMNS' defaults (one stated default per quantity);
    cloud nodes take CLOUD_NODE's."""
    from workbench.edge.scenario import CLOUD_NODE, NODE_COLUMNS

    sc = E.build_scenario("Abilene", 10, 3, 2, seed=0)
    edge, cloud = sc.nodes[sc.nodes.tier == "edge"], sc.nodes[sc.nodes.tier == "cloud"]
    for col in ("p_idle_w", "p_busy_w", "bandwidth_mbps"):
        assert (edge[col] == NODE_COLUMNS[col][0]).all() and (cloud[col] == CLOUD_NODE[col]).all()


def test_the_engine_entry_takes_every_record_field_in_order():
    """``run_engine_arrays`` (what Python calls: plain arrays type fast in numba's dispatcher) names its parameters
    ``<run_engine argument>_<record field>``; a reordered record field or argument fails here, not silently."""
    import inspect

    from workbench.edge import _kernels as K

    records = list(inspect.signature(K.run_engine.py_func).parameters)[: len(K.RECORDS)]
    want = [f"{arg}_{f}" for arg, rec in zip(records, K.RECORDS) for f in rec._fields]
    got = list(inspect.signature(K.run_engine_arrays.py_func).parameters)
    assert got == want + ["max_tasks", "t_end", "max_events", "action"]
    assert records == ["g", "dev", "nodes", "backbone", "evq", "tasks", "stats", "wf", "jobs"]
    assert [r.__name__ for r in K.RECORDS] == [
        "Globals",
        "Devices",
        "Nodes",
        "Network",
        "Queue",
        "Tasks",
        "Stats",
        "Workflow",
        "Jobs",
    ]
