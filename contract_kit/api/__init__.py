"""Whole calls of the repository API: request checks, query semantics and JSON Patch."""
