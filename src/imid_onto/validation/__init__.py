"""Checking the knowledge base: SHACL validation and its report, the compiled engine,
duplicated claims, causal cycles, quotes and external identifiers.
"""
