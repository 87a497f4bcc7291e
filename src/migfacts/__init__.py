"""migfacts: sourced figures on labor migration in Central Asia, from the command line."""

__version__ = "0.1.0"
