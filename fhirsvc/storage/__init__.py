"""Versioned resource storage with search indexes, behind one protocol (SQLite, PostgreSQL)."""
