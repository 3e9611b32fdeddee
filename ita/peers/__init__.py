"""Comparison with peers: the pure rules (rules) and the aggregates they read (queries)."""
