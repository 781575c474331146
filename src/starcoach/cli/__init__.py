"""The terminal interface: one module per command group, each a thin layer over the Coach."""
