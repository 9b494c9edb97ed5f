"""Provides citizen, a private, offline digital-citizenship course for K-12 schools."""

__version__ = "0.1.0"
