"""deskconsole: a keyboard-only front-desk console (see README.md)."""


def __getattr__(name: str) -> str:
    # One version source: pyproject.toml, read from the installed (wheel or editable) metadata;
    # looked up only when asked for (`--version`), not on every start.
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("deskconsole")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
