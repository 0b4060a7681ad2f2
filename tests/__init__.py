"""Test suite for Back Office Academy."""
