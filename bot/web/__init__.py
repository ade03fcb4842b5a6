"""The patient chat endpoint and the staff API (FastAPI); the only web-framework code in bot/."""
