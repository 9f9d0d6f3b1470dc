"""Recorded exchanges: cassette files, recording with redaction, replay and its matching."""
