"""What the App holds besides its screens: the shift session, the phone keys and the store
watch, each an object with public methods the screens call (STYLE §12)."""
