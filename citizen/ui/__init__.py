"""Provides the Textual user interface: screens hold a Classroom and never touch SQL."""
