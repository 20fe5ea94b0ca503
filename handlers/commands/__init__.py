"""One module per command: each exposes `handle_<command>(cmd, store, ctx) -> Reply`."""
