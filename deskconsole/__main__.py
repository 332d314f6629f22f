from deskconsole.cli import main

main()
