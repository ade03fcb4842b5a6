"""Thin rasa_sdk actions: each reads the tracker, calls the domain in `bot`, returns events."""
