"""Tests for revtrack, one file per module."""
