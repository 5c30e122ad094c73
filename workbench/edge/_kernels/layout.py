"""The layout of the discrete-event engine's state: the named columns of every state array, the codes
(arrival processes, queue disciplines, policies, events, statuses) and the records that carry the arrays
into the kernels. One place for every index the engine uses.

All state lives in arrays, so a run can stop (to grow a pool, update a progress bar, or ask an outside
agent for a dispatch decision) and resume exactly where it was. Times in seconds.
"""

from __future__ import annotations

from collections import namedtuple

# device parameters (float / int columns)
DF_RATE, DF_SIZE, DF_DIN, DF_DOUT, DF_DEADLINE, DF_ACC, DF_UP, DF_DOWN, DF_SPEED, DF_PTX, DF_PCPU, DF_ON, DF_OFF = (
    range(13)
)
DF_INV_UP, DF_INV_DOWN = 13, 14  # 8 / uplink, 8 / downlink: seconds per MB
DF_MEM = 15  # memory each task needs, MB
DF_DWELL = 16  # mobile devices: mean time at one attach point before moving to a neighbouring one (0: static)
N_DF = 17
DI_AP, DI_ARR, DI_SDIST = range(3)
N_DI = 3
ARR_POISSON, ARR_PERIODIC, ARR_BURSTY = 0, 1, 2
SD_EXP, SD_DET, SD_UNIF = 0, 1, 2
# device state (float): next-arrival bookkeeping, local CPU free time, bursty on/off phase end
DS_FREE, DS_PHASE_END, DS_ON = range(3)
N_DS = 3
# node parameters
NF_SPEED, NF_ACC, NF_BW, NF_PIDLE, NF_PBUSY, NF_MTBF, NF_MTTR = range(7)
NF_INV_BW, NF_INV_SPEED, NF_INV_CAP = 7, 8, 9  # 8 / bandwidth, 1 / speed, 1 / (cores x speed)
NF_MEM = 10  # memory, MB
N_NF = 11
NI_CORES, NI_AP, NI_QCAP, NI_TIER, NI_DISC = range(5)
N_NI = 5
Q_FCFS, Q_EDF, Q_SJF = 0, 1, 2  # queue disciplines: arrival order, earliest deadline, shortest task
# node state
NS_BUSY, NS_QHEAD, NS_QTAIL, NS_QLEN, NS_UP, NS_KNOWN_UP, NS_SERVED, NS_MAXQ, NS_FAILS, NS_RES, NS_DROPPED, NS_FID = (
    range(12)
)
N_NS = 12
NT_WORK, NT_BUSY_T, NT_LAST, NT_DOWN_T, NT_DOWN_SINCE, NT_RESP, NT_MEM = range(7)
N_NT = 7
# tasks
TF_CREATED, TF_SIZE, TF_DEADLINE, TF_ARRIVE, TF_START, TF_RET, TF_FULL, TF_MEM = range(8)
N_TF = 8
TI_DEV, TI_NODE, TI_GEN, TI_NEXT, TI_TRIES, TI_FAIL, TI_RPREV, TI_RNEXT, TI_JOB, TI_WT = range(10)
N_TI = 10
# workflow jobs (a DAG of tasks per arrival): float and int columns, and per job x workflow task
J_CREATED, J_LAST = range(2)
N_JF = 2
J_LEFT, J_LIVE, J_DEAD, J_NEXT = range(4)
N_JI = 4
# events
E_ARR, E_NODE, E_DEP, E_FAIL, E_REPAIR, E_DETECT, E_RETRY, E_LINK_FAIL, E_LINK_REPAIR, E_MOVE = range(10)
EV_TYPE, EV_A, EV_B = range(3)
# global integer state
(
    SI_HEAP,
    SI_EV_FREE,
    SI_EV_N,
    SI_T_FREE,
    SI_T_N,
    SI_RR,
    SI_GEN,
    SI_DONE,
    SI_MISSED,
    SI_DROPPED,
    SI_RETRIED,
    SI_STATUS,
    SI_PENDING,
    SI_EVENTS,
    SI_NFAIL,
    SI_RNG,
    SI_LOCAL,
    SI_MEASURED,
    SI_NLINKFAIL,
    SI_J_FREE,
    SI_J_N,
    SI_MOVES,
) = range(22)
N_SI = 22
# global float state
(
    SF_NOW,
    SF_WARM,
    SF_RESP_SUM,
    SF_RESP_SQ,
    SF_WAIT_SUM,
    SF_WAIT_N,
    SF_EDEV,
    SF_BUCKET,
    SF_DETECT,
    SF_CKPT,
    SF_WAIT_SQ,
    SF_LMTBF,
    SF_LMTTR,
) = range(13)
N_SF = 13
# run parameters (int): policy, max tries, recovery mode (0 restart, 1 checkpoint)
P_POLICY, P_TRIES, P_RECOVERY = range(3)
POL_RANDOM, POL_RR, POL_LEAST, POL_NEAREST, POL_MCT, POL_OFFLOAD, POL_SCORE, POL_EXTERNAL = range(8)
N_FEATURES = 6  # network latency s, load per core, estimated wait s, execution s, cloud tier flag, transfer s
# per-bucket columns
B_CREATED, B_DONE, B_MISSED, B_RESP, B_DROPPED, B_BUSY, B_RETRIED = range(7)
N_B = 7
# failure record columns
FR_TIME, FR_NODE, FR_AFFECTED, FR_OUT, FR_LAST, FR_DUR = range(6)
N_FR = 6
# status codes
(
    ST_DONE,
    ST_GROW_TASKS,
    ST_GROW_EVENTS,
    ST_GROW_BUCKETS,
    ST_GROW_FAILS,
    ST_PAUSE,
    ST_DECIDE,
    ST_TOPOLOGY,
    ST_GROW_JOBS,
) = range(9)
# quantile sketch: log-spaced bins, relative accuracy ~1% over 1 us .. 1e7 s
H_GAMMA = 1.02
H_MIN = 1e-6
H_BINS = 1630


# ---------------------------------------------------------------------------------------
# the records that carry the state arrays into the kernels (numba passes a namedtuple of arrays as
# one argument); the field comments name the column constants that index each array

#: Run parameters and global state: ``prm`` (P_*), the scoring ``weights``, ``si`` (SI_*) and ``sf`` (SF_*).
Globals = namedtuple("Globals", ["prm", "weights", "si", "sf"])
#: Devices: parameters ``f`` (DF_*) and ``i`` (DI_*), state ``s`` (DS_*), one row per device.
Devices = namedtuple("Devices", ["f", "i", "s"])
#: Nodes: parameters ``f`` (NF_*) and ``i`` (NI_*), state ``s`` (NS_*) and times ``t`` (NT_*), one row per node.
Nodes = namedtuple("Nodes", ["f", "i", "s", "t"])
#: The backbone: ``lat[0]`` one-way latency (ms) and ``lat[1]`` the bottleneck (s/MB) between attach points, each
#: link's state ``links`` (1 up), and the attach-point adjacency ``adj_ptr``/``adj_idx`` (CSR, for handovers).
Network = namedtuple("Network", ["lat", "links", "adj_ptr", "adj_idx"])
#: The event queue: events ``ev`` (EV_*) and the binary heap of their times ``hk`` and indices ``hv``.
Queue = namedtuple("Queue", ["ev", "hk", "hv"])
#: The task pool: float columns ``f`` (TF_*) and int columns ``i`` (TI_*).
Tasks = namedtuple("Tasks", ["f", "i"])
#: A workflow DAG in CSR form: task sizes, predecessors (``pptr``, ``psrc``, ``pdata``) and successors.
Workflow = namedtuple("Workflow", ["size", "pptr", "psrc", "pdata", "sptr", "sdst"])
#: The job pool (workflow runs): float ``f`` (J_CREATED, J_LAST), int ``i`` (J_*), per job x task ``t``.
Jobs = namedtuple("Jobs", ["f", "i", "t"])
#: What a run measures: the response-time sketch ``hist`` (H_*), timeline ``buckets`` (B_*), failure records
#: ``fails`` (FR_*), and ``feats`` (the pending task's per-node features for an outside scheduler).
Stats = namedtuple("Stats", ["hist", "buckets", "fails", "feats"])
