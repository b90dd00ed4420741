"""prooflens analysis: C source -> verification conditions -> proved / refuted / unknown."""

__version__ = "0.1.0"
