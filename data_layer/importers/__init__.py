"""Importers: one module per source (polisen, police_uk, areas) on shared machinery (common) and a CLI (cli)."""
