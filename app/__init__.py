"""The Solara web app (a thin page over the public API)."""
