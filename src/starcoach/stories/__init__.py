"""The user's story bank: STAR stories, their fit to questions, coverage, loops, drift and kits.

Pure domain code: no I/O, no clock, no randomness (times and embedders are passed in). The store
keeps stories; the service composes these functions into use cases.
"""
