"""Catalogs shipped with deskconsole (TOML), read with importlib.resources. A company replaces
one by putting a file of the same name in <config dir>/data/ (deskconsole.catalogs)."""
