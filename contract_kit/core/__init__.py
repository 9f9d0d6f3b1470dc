"""The contract itself: the schema bundle, its compiled validators, and the violations they find.

Nothing here knows of HTTP transports, recordings, the fake or the linter; every other layer
reads the contract through these modules (docs/architecture.md).
"""
