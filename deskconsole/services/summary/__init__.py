"""The end-of-shift summary (DOMAIN §6): one function for the screen, the CLI and exports."""
