"""Provides the student app's screens, one per module."""
