"""Helpers shared by tests (not tests themselves): import as ``helpers.<module>``."""
