"""Placeholder: the conformance fixture tools are added with the conformance test."""
