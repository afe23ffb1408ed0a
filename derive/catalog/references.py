"""Reference strings shared by the catalog."""

SB = "Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018)"
SPINNING_UP = "OpenAI Spinning Up, Intro to Policy Optimization"
GAE_PAPER = "Schulman et al., High-Dimensional Continuous Control Using GAE (2015)"
PPO_PAPER = "Schulman et al., Proximal Policy Optimization Algorithms (2017)"
TRPO_PAPER = "Schulman et al., Trust Region Policy Optimization (2015)"
KAKADE = "Kakade & Langford, Approximately Optimal Approximate RL (2002), Lemma 6.1"
NOTA_THOMAS = "Nota & Thomas, Is the Policy Gradient a Gradient? (2020)"
