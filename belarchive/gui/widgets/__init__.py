"""Self-contained widgets the main window embeds (timeline, sources, annotations)."""
