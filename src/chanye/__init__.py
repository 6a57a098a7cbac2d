"""chanye: regional industry facts from news articles."""
__version__ = "0.1.0"
