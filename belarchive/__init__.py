"""belarchive: an offline archive of human-rights events, their sources and their verification."""

__version__ = "0.1.0"
