"""Answer analysis: text in, Analysis out (segment -> label STAR -> signals -> points -> score -> feedback).

Import :func:`analyze` from ``starcoach.analysis.pipeline`` (kept out of this module so that importing
the package stays cheap).
"""
