"""Numba kernels of the AI lab, one module per algorithm family: pure functions over arrays (no validation
here; the public API in :mod:`workbench.ai` checks every input first).

The lab imports the package (``from . import _kernels as K``); each family lives in its own module:
:mod:`.objectives`, :mod:`.metaheuristics` (one shared generation loop), :mod:`.mlp`, :mod:`.cnn`, :mod:`.rnn`,
:mod:`.tabular_rl`, :mod:`.policy_gradient` and :mod:`.smoothing`.
"""

from __future__ import annotations

from .cnn import (  # noqa: F401
    CNNShape,
    cnn_epoch,
    cnn_loss_grad,
    cnn_sizes,
    conv1d_forward,
    conv2d_backward,
    conv2d_forward,
    relu_pool2d_backward,
    relu_pool2d_forward,
    relu_pool_forward,
)
from .metaheuristics import (  # noqa: F401
    DE,
    GA,
    PSO,
    SA,
    de_ask,
    de_tell,
    ga_ask,
    ga_tell,
    polynomial_mutation,
    pso_ask,
    pso_init,
    pso_tell,
    record,
    run,
    sa_ask,
    sa_init,
    sa_tell,
    sbx_pair,
    uniform_population,
)
from .mlp import (  # noqa: F401
    GELU,
    IDENTITY,
    RELU,
    SIGMOID,
    TANH,
    _buffers,
    mlp_backward,
    mlp_classify,
    mlp_epoch,
    mlp_forward,
    mlp_loss_grad,
    mlp_predict,
    optimizer_step,
    output_loss,
    param_offsets,
)
from .objectives import (  # noqa: F401
    OBJECTIVE,
    ackley,
    griewank,
    rastrigin,
    rosenbrock,
    seed,
    sphere,
)
from .policy_gradient import (  # noqa: F401
    _moments,
    actor_critic_cartpole,
    actor_critic_update,
    cartpole_step,
    policy_probs,
    reinforce_cartpole,
    reinforce_update,
)
from .rnn import (  # noqa: F401
    CELL_ELMAN,
    CELL_GRU,
    _gates,
    _rnn_views,
    rnn_backward,
    rnn_epoch,
    rnn_forward,
    rnn_loss_grad,
    rnn_predict,
    rnn_size,
)
from .smoothing import (  # noqa: F401
    holt_winters,
)
from .tabular_rl import (  # noqa: F401
    _egreedy,
    _sample,
    finite_horizon,
    rollouts,
    table_step,
    td_control,
)
