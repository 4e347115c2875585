"""Demonstration data: the demo questionnaire and its synthetic responses (labelled as such)."""

__all__ = ["seed", "synthetic"]
