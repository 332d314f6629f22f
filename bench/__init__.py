"""`make bench`: the performance figures of deskconsole on an empty store, a busy day and 1, 2
and 5 busy years, each as a ratio against a baseline measured in the same run.
`python -m bench --help`."""
