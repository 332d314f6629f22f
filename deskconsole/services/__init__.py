"""Domain operations on a Session. No Textual import, ever (tests/unit/test_layers.py).

Each service takes a Session and an Actor (who, where, which shift, and the clock), returns
plain results and raises DeskError with a catalog key for anything a user must be told.
"""
