"""`make bench`: the performance figures of deskconsole at 0, 1, 2 and 5 busy years,
each as a ratio against a baseline measured in the same run. `python -m bench --help`."""
