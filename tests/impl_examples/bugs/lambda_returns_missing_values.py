"""lambda-returns that forget to add the values back (they return the advantages)."""
from derive import gae

KIND = "lambda-returns"
EXPECTED_BUG = "missing-values"


def lambda_returns(rewards, values, next_values, terminated, truncated, gamma, lam):
    return gae(rewards, values, next_values, terminated, truncated, gamma, lam)
