from deskconsole.cli import main

# Guarded: a process started with the `spawn` method (Windows) imports this module again.
if __name__ == "__main__":
    main()
