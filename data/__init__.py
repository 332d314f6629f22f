"""Catalogs shipped with deskconsole (TOML/CSV). A company can override them by config."""
