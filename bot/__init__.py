"""Botox consult intake assistant: domain core (models, parsing, screening, summary) and adapters."""
